package dev.ringplan.engine.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares {@link InventoryPrinter} byte for byte with the output of the real
 * {@code ansible-inventory --list} / {@code --graph} (ansible-core 2.14.18), stored beside each
 * inventory as {@code NAME.list.json} and {@code NAME.graph.txt}.
 */
class InventoryGoldenTest {

    static Stream<String> inventories() {
        return Stream.of(
                "corpus/axonops-axonops-ansible-collection__cassandra-groupvars.yml",
                "corpus/axonops-axonops-ansible-collection__ci-docker-connection.yml",
                "corpus/axonops-axonops-ansible-collection__nested-hostvars.yml",
                "corpus/axonops-axonops-cassandra-example-ansible__prod-2dc-racks.yml",
                "corpus/axonops-axonops-cassandra-example-ansible__test-1dc-racks.yml",
                "corpus/k3s-io-k3s-ansible__toplevel-group-port-user.yml",
                "corpus/solairen-cassandra__nested-children-vars.yml",
                "own/guide-basic.yml",
                "own/guide-multigroup.yml",
                "own/guide-ranges.yml",
                "own/guide-vars.yml",
                "own/nested.yml",
                "own/precedence.yml",
                "own/ranges.yml",
                "own/toplevel.yml",
                "own/ungrouped.yml",
                "own/unicode.yml",
                "withvars/hosts.yml");
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(InventoryGoldenTest.class.getResource("/inventory/" + name).toURI());
    }

    private static String golden(Path inv, String suffix) throws Exception {
        String base = inv.getFileName().toString().replaceAll("\\.yml$", "");
        return Files.readString(inv.resolveSibling(base + suffix), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("inventories")
    void list_matchesAnsibleInventory(String name) throws Exception {
        Path inv = resource(name);
        assertEquals(golden(inv, ".list.json"), InventoryPrinter.list(InventoryParser.parse(inv)));
    }

    @ParameterizedTest
    @MethodSource("inventories")
    void graph_matchesAnsibleInventory(String name) throws Exception {
        Path inv = resource(name);
        assertEquals(golden(inv, ".graph.txt"), InventoryPrinter.graph(InventoryParser.parse(inv)));
    }
}
