package dev.ringplan.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Host variables to docker / kubectl argv, with Ansible's variable names; nothing is run. */
class ContainerConnectionsTest {

    @Test
    void docker_defaultsToInventoryHostname() throws Exception {
        DockerCli d = ContainerConnections.docker("cass1", Map.of("ansible_connection", "docker"));
        assertEquals(List.of("docker", "exec", "-i", "cass1", "nodetool", "status"),
                d.execCommand(List.of("nodetool", "status")));
        assertEquals("docker container cass1", d.target());
    }

    @Test
    void docker_hostUserExtraArgsAndExecutable() throws Exception {
        DockerCli d = ContainerConnections.docker("node1", Map.of("ansible_host", "ringplan-cass-1",
                "ansible_user", "cassandra", "ansible_docker_extra_args", " --host  tcp://10.0.0.5:2376 --tls ",
                "ringplan_docker_executable", "/opt/docker/bin/docker"));
        assertEquals(List.of("/opt/docker/bin/docker", "--host", "tcp://10.0.0.5:2376", "--tls", "exec", "-i", "-u",
                "cassandra", "ringplan-cass-1", "id"), d.execCommand(List.of("id")));
        assertEquals(List.of("/opt/docker/bin/docker", "--host", "tcp://10.0.0.5:2376", "--tls", "restart", "c"),
                d.engineCommand(List.of("restart", "c")));
    }

    @Test
    void docker_pluginSpecificNamesWinOverGenericOnes() throws Exception {
        DockerCli d = ContainerConnections.docker("n", Map.of("ansible_host", "a", "ansible_docker_host", "b",
                "ansible_user", "u1", "ansible_docker_user", "u2"));
        assertEquals("b", d.container());
        assertEquals("u2", d.user());
    }

    @Test
    void kubectl_everyOptionInAnsiblesOrder() throws Exception {
        KubectlCli k = ContainerConnections.kubectl("node1", Map.of("ansible_kubectl_pod", "cassandra-dc2-0",
                "ansible_kubectl_container", "cassandra", "ansible_kubectl_namespace", "db",
                "ansible_kubectl_context", "prod", "ansible_kubectl_kubeconfig", "/etc/kube/config",
                "ansible_kubectl_extra_args", "--request-timeout=30s"));
        assertEquals(List.of("kubectl", "--kubeconfig", "/etc/kube/config", "--context", "prod", "-n", "db",
                "--request-timeout=30s", "exec", "-i", "cassandra-dc2-0", "-c", "cassandra", "--", "nodetool", "-h",
                "127.0.0.1", "status"), k.execCommand(List.of("nodetool", "-h", "127.0.0.1", "status")));
        assertEquals("pod db/cassandra-dc2-0 container cassandra", k.target());
    }

    @Test
    void kubectl_podFromAnsibleHostThenHostname_optionsOmittedWhenUnset() throws Exception {
        assertEquals(List.of("kubectl", "exec", "-i", "p1", "--", "true"),
                ContainerConnections.kubectl("p1", Map.of()).execCommand(List.of("true")));
        assertEquals("pod-x", ContainerConnections.kubectl("p1", Map.of("ansible_host", "pod-x")).pod());
    }

    @Test
    void kubectl_credentialVariablesRefused() {
        ConnectionException e = assertThrows(ConnectionException.class,
                () -> ContainerConnections.kubectl("p1", Map.of("ansible_kubectl_token", "abc")));
        assertTrue(e.getMessage().startsWith("host p1: ansible_kubectl_token is not supported"), e.getMessage());
        assertTrue(!e.getMessage().contains("abc"), "the value is never repeated");
    }

    @Test
    void unreachable_readsTheClientsOwnErrors() {
        DockerCli d = new DockerCli("docker", List.of(), "c", null);
        assertTrue(d.unreachable(1, "Error response from daemon: No such container: c\n"));
        assertTrue(d.unreachable(1, "Error response from daemon: Container 4f2a is not running\n"));
        assertTrue(!d.unreachable(1, "nodetool: Failed to connect to '127.0.0.1:7199'\n"));
        assertTrue(!d.unreachable(0, "Error response from daemon: No such container: c\n"));
        KubectlCli k = new KubectlCli("kubectl", null, null, null, List.of(), "p", null);
        assertTrue(k.unreachable(1, "Error from server (NotFound): pods \"p\" not found\n"));
        assertTrue(!k.unreachable(2, "command terminated with exit code 2\n"));
    }

    @Test
    void remoteArgv_markerEnvAndCwd() {
        assertEquals(List.of("sh", "-c", ContainerConnection.CD_SCRIPT, "ringplan-cwd", "/d", "env",
                        ContainerConnection.MARKER + "=id1", "A=1", "B=x y", "ls"),
                ContainerConnection.remoteArgv("id1", List.of("ls"),
                        ExecOptions.defaults().withEnv(Map.of("B", "x y", "A", "1")).withCwd("/d")));
        assertThrows(IllegalArgumentException.class, () -> ContainerConnection.remoteArgv("i", List.of("ls"),
                ExecOptions.defaults().withEnv(Map.of("A B", "1"))));
    }
}
