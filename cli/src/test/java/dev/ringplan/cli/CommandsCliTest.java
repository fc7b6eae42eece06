package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The static subcommands through the real CLI: graph, modules, inventory. None contacts a host. */
class CommandsCliTest {
    private static final String INV = "cli/src/test/resources/cli/two-nodes.yaml";

    @Test
    void graph_text_listsNodesInDependencyOrder() {
        Cli.Run r = Cli.run("graph", "plans/backup.yaml", "-i", INV, "-e", "backup_root=/b");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("snapshot[n1] <- flush[n1]"), r.all());
        assertTrue(r.out().contains("archive[n2] <- snapshot[n2], ring[n2]"), r.all());
        assertTrue(r.out().indexOf("flush[n1]") < r.out().indexOf("clear[n1]"), r.all());
    }

    @Test
    void graph_dot_isGraphviz() {
        Cli.Run r = Cli.run("graph", "plans/backup.yaml", "-i", INV, "-e", "backup_root=/b", "--format", "dot");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().startsWith("digraph"), r.all());
        assertTrue(r.out().contains("\"flush[n1]\" -> \"snapshot[n1]\""), r.all());
    }

    @Test
    void modules_listAndDoc() {
        Cli.Run list = Cli.run("modules");
        assertEquals(0, list.code(), list.all());
        for (String m : new String[] {"nodetool", "tar", "command"}) {
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith(m + " ")), list.all());
        }
        Cli.Run doc = Cli.run("modules", "nodetool");
        assertEquals(0, doc.code(), doc.all());
        assertTrue(doc.out().contains("ARGUMENTS") && doc.out().contains("command (str, required)")
                && doc.out().contains("EXAMPLES") && doc.out().contains("RETURNS"), doc.all());
        Cli.Run unknown = Cli.run("modules", "nodetol");
        assertEquals(ExitCodes.INVALID_INPUT, unknown.code());
        assertTrue(unknown.err().contains("did you mean 'nodetool'?"), unknown.all());
    }

    @Test
    void inventory_graph_asAnsibleInventory() {
        Cli.Run r = Cli.run("inventory", "-i", INV, "--graph");
        assertEquals(0, r.code(), r.all());
        assertEquals("@all:\n  |--@ungrouped:\n  |--@cassandra:\n  |  |--n1\n  |  |--n2\n", r.out());
    }

    @Test
    void inventory_list_asAnsibleInventory() {
        Cli.Run r = Cli.run("inventory", "-i", INV, "--list");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().startsWith("{\n    \"_meta\": {\n        \"hostvars\": {\n            \"n1\": {\n                \"ansible_host\": \"10.0.0.1\""), r.all());
        assertTrue(r.out().contains("\"ungrouped\""), r.all());
    }

    @Test
    void limitAndTags_restrictTheGraph() {
        Cli.Run r = Cli.run("graph", "plans/backup.yaml", "-i", INV, "-e", "backup_root=/b", "--limit", "n2");
        assertEquals(0, r.code(), r.all());
        assertTrue(!r.out().contains("[n1]") && r.out().contains("flush[n2]"), r.all());
        Cli.Run unknown = Cli.run("graph", "plans/backup.yaml", "-i", INV, "-e", "backup_root=/b", "--limit", "n3");
        assertEquals(ExitCodes.INVALID_INPUT, unknown.code(), unknown.all());
    }
}
