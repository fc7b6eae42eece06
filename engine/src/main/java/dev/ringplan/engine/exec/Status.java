package dev.ringplan.engine.exec;

/**
 * Outcome of one (task, host) node, as Ansible's TaskResult keeps them apart: {@code ok}
 * (nothing needed changing), {@code changed}, {@code skipped} (condition false, or upstream
 * failed), {@code failed}, {@code unreachable} (the host could not be reached).
 */
public enum Status {
    OK, CHANGED, SKIPPED, FAILED, UNREACHABLE;

    /** Lower-case name as written in reports. */
    public String label() {
        return name().toLowerCase();
    }
}
