package dev.ringplan.engine.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code ansible_connection: kubectl}: {@code kubectl exec}, as Ansible's
 * {@code kubernetes.core.kubectl} connection builds it:
 * {@code kubectl [--kubeconfig F] [--context C] [-n NS] [EXTRA_ARGS...] exec -i POD [-c CONTAINER] -- ARGV...}.
 *
 * @param executable the kubectl program ({@code ringplan_kubectl_executable}, default
 *                   {@code kubectl} on the PATH)
 * @param kubeconfig {@code ansible_kubectl_kubeconfig}, or null for kubectl's default
 * @param context    {@code ansible_kubectl_context}, or null for the current context
 * @param namespace  {@code ansible_kubectl_namespace}, or null for the context's namespace
 * @param extraArgs  {@code ansible_kubectl_extra_args} split on blanks, as Ansible splits it
 * @param pod        {@code ansible_kubectl_pod}, else {@code ansible_host}, else the inventory hostname
 * @param container  {@code ansible_kubectl_container}, or null for the pod's only (or default) container
 */
public record KubectlCli(String executable, String kubeconfig, String context, String namespace, List<String> extraArgs,
                         String pod, String container) implements ContainerCli {
    /**
     * kubectl's own errors for a pod it cannot exec into ("Error from server (NotFound): pods
     * "x" not found", "error: unable to upgrade connection: container not found", "Unable to
     * connect to the server", "error: ... does not have a host assigned").
     */
    private static final Pattern UNREACHABLE = Pattern.compile(
            "^(Error from server \\(NotFound\\)|Error from server \\(BadRequest\\): .*(is not running|container not found)"
                    + "|error: unable to upgrade connection: (container not found|pod does not exist)"
                    + "|Unable to connect to the server|error: .*does not have a host assigned"
                    + "|The connection to the server .* was refused)", Pattern.MULTILINE);

    /** Validates and copies. */
    public KubectlCli {
        if (pod == null || pod.isBlank()) {
            throw new IllegalArgumentException("empty pod name");
        }
        extraArgs = List.copyOf(extraArgs);
    }

    @Override
    public List<String> execCommand(List<String> remoteArgv) {
        List<String> c = new ArrayList<>();
        c.add(executable);
        option(c, "--kubeconfig", kubeconfig);
        option(c, "--context", context);
        option(c, "-n", namespace);
        c.addAll(extraArgs);
        c.add("exec");
        c.add("-i");
        c.add(pod);
        option(c, "-c", container);
        c.add("--");
        c.addAll(remoteArgv);
        return c;
    }

    private static void option(List<String> c, String flag, String value) {
        if (value != null && !value.isBlank()) {
            c.add(flag);
            c.add(value);
        }
    }

    @Override
    public String type() {
        return "kubectl";
    }

    @Override
    public String target() {
        return "pod " + (namespace == null || namespace.isBlank() ? "" : namespace + "/") + pod
                + (container == null || container.isBlank() ? "" : " container " + container);
    }

    @Override
    public boolean unreachable(int exitStatus, String stderr) {
        return exitStatus != 0 && stderr != null && UNREACHABLE.matcher(stderr).find();
    }
}
