package dev.ringplan.engine.connection;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads the host variables of {@code ansible_connection: docker} and {@code kubectl} into a
 * {@link DockerCli} or {@link KubectlCli}, with the names of Ansible's
 * {@code community.docker.docker} and {@code kubernetes.core.kubectl} connections. Where several
 * names apply, the first present wins: the {@code ringplan_} name, then the plugin's own
 * {@code ansible_docker_}/{@code ansible_kubectl_} name, then the generic Ansible one.
 *
 * <table>
 * <caption>docker</caption>
 * <tr><th>meaning</th><th>variables</th><th>default</th></tr>
 * <tr><td>container name or id</td><td>{@code ringplan_host}, {@code ansible_docker_host}, {@code ansible_host}</td>
 *     <td>the inventory hostname</td></tr>
 * <tr><td>user in the container ({@code exec -u})</td><td>{@code ringplan_user}, {@code ansible_docker_user},
 *     {@code ansible_user}</td><td>the image's user</td></tr>
 * <tr><td>arguments before {@code exec}, split on blanks</td><td>{@code ansible_docker_extra_args}</td><td>none</td></tr>
 * <tr><td>the client program</td><td>{@code ringplan_docker_executable}</td><td>{@code docker} on the PATH</td></tr>
 * </table>
 *
 * <table>
 * <caption>kubectl</caption>
 * <tr><th>meaning</th><th>variables</th><th>default</th></tr>
 * <tr><td>pod</td><td>{@code ansible_kubectl_pod}, {@code ansible_host}</td><td>the inventory hostname</td></tr>
 * <tr><td>container of the pod ({@code -c})</td><td>{@code ansible_kubectl_container}</td><td>the pod's default</td></tr>
 * <tr><td>namespace ({@code -n})</td><td>{@code ansible_kubectl_namespace}</td><td>the context's</td></tr>
 * <tr><td>context ({@code --context})</td><td>{@code ansible_kubectl_context}</td><td>the current context</td></tr>
 * <tr><td>kubeconfig ({@code --kubeconfig}, {@code ~/} expanded)</td><td>{@code ansible_kubectl_kubeconfig}</td>
 *     <td>kubectl's ({@code KUBECONFIG}, {@code ~/.kube/config})</td></tr>
 * <tr><td>arguments before {@code exec}, split on blanks</td><td>{@code ansible_kubectl_extra_args}</td><td>none</td></tr>
 * <tr><td>the client program</td><td>{@code ringplan_kubectl_executable}</td><td>{@code kubectl} on the PATH</td></tr>
 * </table>
 *
 * <p>kubernetes.core.kubectl's credential variables ({@code ansible_kubectl_token},
 * {@code _password}, {@code _username}, {@code _host}, certificates, {@code _verify_ssl}) are
 * refused: they would put secrets on a command line, so they belong in the kubeconfig.
 */
public final class ContainerConnections {
    /** kubernetes.core.kubectl variables Ringplan refuses (see the class doc). */
    public static final List<String> KUBECTL_REFUSED = List.of("ansible_kubectl_host", "ansible_kubectl_username",
            "ansible_kubectl_password", "ansible_kubectl_token", "ansible_kubectl_api_key", "ansible_kubectl_cert_file",
            "ansible_kubectl_client_cert", "ansible_kubectl_key_file", "ansible_kubectl_client_key",
            "ansible_kubectl_ssl_ca_cert", "ansible_kubectl_ca_cert", "ansible_kubectl_verify_ssl",
            "ansible_kubectl_validate_certs");

    private ContainerConnections() {
    }

    /**
     * The docker client settings of a host (nothing is contacted).
     *
     * @throws ConnectionException when a variable has the wrong type
     */
    public static DockerCli docker(String host, Map<String, Object> vars) throws ConnectionException {
        String container = nonBlank(ConnectionFactory.string(host, vars, "ringplan_host", "ansible_docker_host",
                "ansible_host"), host);
        String user = ConnectionFactory.string(host, vars, "ringplan_user", "ansible_docker_user", "ansible_user");
        String exe = nonBlank(ConnectionFactory.string(host, vars, "ringplan_docker_executable"), "docker");
        return new DockerCli(exe, words(ConnectionFactory.string(host, vars, "ansible_docker_extra_args")),
                container, user == null || user.isBlank() ? null : user.strip());
    }

    /**
     * The kubectl client settings of a host (nothing is contacted).
     *
     * @throws ConnectionException when a variable has the wrong type or is one of
     *                             {@link #KUBECTL_REFUSED}
     */
    public static KubectlCli kubectl(String host, Map<String, Object> vars) throws ConnectionException {
        for (String n : KUBECTL_REFUSED) {
            if (vars.get(n) != null) {
                throw new ConnectionException("host " + host + ": " + n + " is not supported by Ringplan's kubectl "
                        + "connection: put credentials and the server in the kubeconfig "
                        + "(ansible_kubectl_kubeconfig, ansible_kubectl_context)");
            }
        }
        String pod = nonBlank(ConnectionFactory.string(host, vars, "ansible_kubectl_pod", "ansible_host"), host);
        String kubeconfig = ConnectionFactory.string(host, vars, "ansible_kubectl_kubeconfig");
        return new KubectlCli(nonBlank(ConnectionFactory.string(host, vars, "ringplan_kubectl_executable"), "kubectl"),
                kubeconfig == null || kubeconfig.isBlank() ? null : expandHome(kubeconfig.strip()),
                blankToNull(ConnectionFactory.string(host, vars, "ansible_kubectl_context")),
                blankToNull(ConnectionFactory.string(host, vars, "ansible_kubectl_namespace")),
                words(ConnectionFactory.string(host, vars, "ansible_kubectl_extra_args")),
                pod, blankToNull(ConnectionFactory.string(host, vars, "ansible_kubectl_container")));
    }

    /** Splits on runs of blanks, as Ansible's {@code extra_args.split()}; null gives an empty list. */
    static List<String> words(String s) {
        if (s == null || s.isBlank()) {
            return List.of();
        }
        return Arrays.asList(s.strip().split("\\s+"));
    }

    private static String nonBlank(String v, String dflt) {
        return v == null || v.isBlank() ? dflt : v.strip();
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static String expandHome(String p) {
        if (p.equals("~") || p.startsWith("~/")) {
            return System.getProperty("user.home") + p.substring(1);
        }
        return p;
    }
}
