package dev.ringplan.engine.exec;

/**
 * Outcome of one (task, host) node, as Ansible's TaskResult keeps them apart: {@code ok}
 * (nothing needed changing), {@code changed}, {@code unknown} (check mode only: whether it would
 * change depends on what an earlier task of the same run changes, or cannot be known without
 * doing it: Terraform's "known after apply"), {@code skipped} (condition false, or upstream
 * failed), {@code failed}, {@code unreachable} (the host could not be reached),
 * {@code interrupted} (the run was stopped by SIGINT/SIGTERM while the node ran, or before it
 * could start).
 */
public enum Status {
    OK, CHANGED, UNKNOWN, SKIPPED, FAILED, UNREACHABLE, INTERRUPTED;

    /** Lower-case name as written in reports. */
    public String label() {
        return name().toLowerCase();
    }
}
