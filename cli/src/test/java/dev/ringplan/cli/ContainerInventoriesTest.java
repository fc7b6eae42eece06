package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringplan.engine.connection.ConnectionFactory;
import dev.ringplan.engine.connection.ContainerConnections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * inventories/docker-example.yaml and inventories/kubernetes-example.yaml: the plans they are
 * documented with validate against them (no host contacted), and each host's variables give the
 * docker / kubectl command line the comments describe.
 */
class ContainerInventoriesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A repository file, absolute: in-process runs have the module directory as working directory. */
    private static String at(String path) {
        return Cli.ROOT.resolve(path).toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> hostVars(String inventory, String host) throws Exception {
        Cli.Run list = Cli.inProcess("inventory", "-i", inventory, "--list");
        assertEquals(0, list.code(), list.all());
        JsonNode vars = JSON.readTree(list.out()).get("_meta").get("hostvars").get(host);
        return JSON.convertValue(vars, Map.class);
    }

    @Test
    void dockerExample_validatesWithTheBackupAndRestorePlans_andReachesItsContainers() throws Exception {
        for (String plan : List.of(at("plans/backup.yaml"), at("plans/restore.yaml"))) {
            Cli.Run v = Cli.inProcess("validate", plan, "-i", at("inventories/docker-example.yaml"), "-e", "tag=t1");
            assertEquals(0, v.code(), v.all());
        }
        Map<String, Object> vars = hostVars(at("inventories/docker-example.yaml"), "node2");
        assertEquals("docker", ConnectionFactory.type("node2", vars));
        assertEquals(List.of("docker", "exec", "-i", "cass2", "nodetool", "-h", "127.0.0.1", "-p", "7367", "status"),
                ContainerConnections.docker("node2", vars).execCommand(List.of("nodetool", "-h", "127.0.0.1", "-p",
                        "7367", "status")));
        assertEquals("127.0.68.2", vars.get("listen_address"));
    }

    @Test
    void kubernetesExample_validatesWithTheMigrationPlan_andReachesItsPods() throws Exception {
        Cli.Run v = Cli.inProcess("validate", at("plans/migrate-datacenter.yaml"), "-i", at("inventories/kubernetes-example.yaml"));
        assertEquals(0, v.code(), v.all());
        Map<String, Object> pod = hostVars(at("inventories/kubernetes-example.yaml"), "cassandra-dc2-1");
        assertEquals("kubectl", ConnectionFactory.type("cassandra-dc2-1", pod));
        assertEquals(List.of("kubectl", "--context", "prod-eu", "-n", "cassandra", "exec", "-i", "cassandra-dc2-1", "-c",
                "cassandra", "--", "true"), ContainerConnections.kubectl("cassandra-dc2-1", pod).execCommand(List.of("true")));
        Map<String, Object> vm = hostVars(at("inventories/kubernetes-example.yaml"), "cass-dc1-02.example.net");
        assertEquals("ssh", ConnectionFactory.type("cass-dc1-02.example.net", vm));
        assertTrue(!pod.containsKey("ansible_kubectl_token"), "credentials stay in the kubeconfig");
    }
}
