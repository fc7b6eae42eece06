package dev.ringplan.engine.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Variables, groups and host patterns of a parsed {@link Inventory}. */
class InventoryTest {

    private static Inventory load(String name) throws Exception {
        return InventoryParser.parse(InventoryGoldenTest.resource(name));
    }

    @Test
    void hostVars_childGroupBeatsParentAndHostBeatsGroups() throws Exception {
        Inventory inv = load("own/precedence.yml");
        // h1 is in z_child and b_child (both depth 2): the later name wins; a_parent (depth 1) loses.
        assertEquals("z_child", inv.hostVars("h1").get("v"));
        assertEquals(1, inv.hostVars("h1").get("parent_only"));
        assertEquals(true, inv.hostVars("h1").get("only_all"));
        assertEquals("host", inv.hostVars("h2").get("v"));
    }

    @Test
    void hostVars_groupPriorityBeatsName() throws Exception {
        Inventory inv = load("own/precedence.yml");
        assertEquals("high", inv.hostVars("h3").get("v"));
        assertEquals(10, inv.group("high").orElseThrow().priority());
        assertFalse(inv.group("high").orElseThrow().vars().containsKey("ansible_group_priority"));
    }

    @Test
    void hostVars_groupVarsFilesRankAboveInventoryGroupVars() throws Exception {
        Inventory inv = load("withvars/hosts.yml");
        assertEquals("file-all", inv.hostVars("web2").get("clash"));
        assertEquals("file-host", inv.hostVars("web1").get("clash"));
        assertEquals("file", inv.hostVars("web1").get("web_only"));
        assertEquals("second", inv.hostVars("db1").get("order"));
        assertEquals(List.of("nodetool", "-h", "127.0.0.1"), inv.hostVars("db1").get("nodetool_cmd"));
    }

    @Test
    void hostVars_portFromHostKey() throws Exception {
        Inventory inv = load("own/ranges.yml");
        assertEquals(2222, inv.hostVars("edge9").get("ansible_port"));
        assertEquals("ops", inv.hostVars("edge10").get("ansible_user"));
        assertEquals(9022, inv.hostVars("fd00::1").get("ansible_port"));
    }

    @Test
    void hostVars_unknownHost_namesItWithSuggestion() throws Exception {
        Inventory inv = load("own/precedence.yml");
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> inv.hostVars("h4"));
        assertTrue(e.getMessage().contains("'h4'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean"), e.getMessage());
    }

    @Test
    void withExtraHostVars_sitsBelowHostVarsAboveGroupVars() throws Exception {
        Inventory inv = load("own/precedence.yml");
        Inventory extra = inv.withExtraHostVars(Map.of(
                "h1", Map.of("v", "extra", "jmx_port", 7199),
                "h2", Map.of("v", "extra")));
        assertEquals("extra", extra.hostVars("h1").get("v"));
        assertEquals(7199, extra.hostVars("h1").get("jmx_port"));
        assertEquals("host", extra.hostVars("h2").get("v"));
        assertEquals("z_child", inv.hostVars("h1").get("v"), "the original is unchanged");
        Inventory more = extra.withExtraHostVars(Map.of("h1", Map.of("jmx_port", 7200)));
        assertEquals(7200, more.hostVars("h1").get("jmx_port"));
        assertEquals("extra", more.hostVars("h1").get("v"));
        assertThrows(IllegalArgumentException.class, () -> inv.withExtraHostVars(Map.of("nope", Map.of())));
    }

    @Test
    void hostVars_isUnmodifiable() throws Exception {
        Inventory inv = load("own/precedence.yml");
        assertThrows(UnsupportedOperationException.class, () -> inv.hostVars("h1").put("x", 1));
    }

    @Test
    void groupsOf_sortedWithoutAll() throws Exception {
        Inventory inv = load("own/guide-multigroup.yml");
        assertEquals(List.of("east", "prod", "webservers"), inv.groupsOf("alpha.example.test"));
        assertEquals(List.of("ungrouped"), inv.groupsOf("mail.example.test"));
    }

    @Test
    void groups_magicVariableIncludesAllAndUngrouped() throws Exception {
        Inventory inv = load("own/guide-multigroup.yml");
        Map<String, List<String>> g = inv.groups();
        assertEquals(List.of("mail.example.test", "alpha.example.test", "beta.example.test", "one.example.test",
                "two.example.test", "three.example.test"), g.get("all"));
        assertEquals(List.of("mail.example.test"), g.get("ungrouped"));
        assertEquals(List.of("alpha.example.test", "one.example.test", "two.example.test"), g.get("prod"));
        assertEquals(List.of("all", "ungrouped", "webservers", "dbservers", "east", "west", "prod", "test"),
                List.copyOf(g.keySet()));
    }

    @Test
    void hosts_fileOrderThroughNestedGroups() throws Exception {
        Inventory inv = load("corpus/axonops-axonops-cassandra-example-ansible__prod-2dc-racks.yml");
        assertEquals(9, inv.hosts().size());
        assertEquals("cassandra-dc1-rack1-node1", inv.hosts().get(0));
        assertEquals("cassandra-dc2-rack3-node1", inv.hosts().get(8));
        assertEquals(3, inv.group("dc1_rack1").orElseThrow().depth());
        assertEquals(List.of("dc1"), inv.group("dc1_rack1").orElseThrow().parents());
    }

    @Test
    void group_structureOfNestedInventory() throws Exception {
        Inventory inv = load("own/nested.yml");
        InventoryGroup westB = inv.group("west_b").orElseThrow();
        assertEquals(List.of("west", "monitoring"), westB.parents());
        assertEquals(List.of("w1", "w2"), westB.hosts());
        assertEquals(List.of(), inv.group("west_a").orElseThrow().hosts());
        assertEquals(List.of("all", "ungrouped", "cluster", "east", "west", "west_a", "west_b", "monitoring"),
                List.copyOf(inv.groupDefinitions().keySet()));
    }

    // Expected host lists below were checked with `ansible -i guide-multigroup.yml PATTERN --list-hosts`.
    @Test
    void resolve_patternsAsAnsible() throws Exception {
        Inventory inv = load("own/guide-multigroup.yml");
        String a = "alpha.example.test";
        String b = "beta.example.test";
        String one = "one.example.test";
        String two = "two.example.test";
        String three = "three.example.test";
        String mail = "mail.example.test";
        assertEquals(List.of(mail, a, b, one, two, three), inv.resolve("all"));
        assertEquals(List.of(mail, a, b, one, two, three), inv.resolve("*"));
        assertEquals(List.of(a, b, one, two, three), inv.resolve("webservers:dbservers"));
        assertEquals(List.of(a), inv.resolve("webservers:&east"));
        assertEquals(List.of(mail, b, three), inv.resolve("all:!prod"));
        assertEquals(List.of(mail, a, b, one, two, three), inv.resolve("*.example.test"));
        assertEquals(List.of(one), inv.resolve("one*"));
        assertEquals(List.of(a, two), inv.resolve("~(alpha|two)"));
        assertEquals(List.of(one), inv.resolve("dbservers[0]"));
        assertEquals(List.of(two, three), inv.resolve("dbservers[1:]"));
        assertEquals(List.of(three), inv.resolve("dbservers[-1]"));
        assertEquals(List.of(a, one, two, b, three), inv.resolve("prod,test"));
        assertEquals(List.of(mail), inv.resolve("ungrouped"));
        assertEquals(List.of(a), inv.resolve("webservers:!beta.example.test"));
        assertEquals(List.of(b), inv.resolve(b));
        assertEquals(List.of(a, b), inv.resolve("!dbservers:&webservers"));
    }

    @Test
    void resolve_emptyGroupMatchesNothingWithoutError() throws Exception {
        Inventory inv = load("own/nested.yml");
        assertEquals(List.of(), inv.resolve("west_a"));
    }

    @Test
    void resolve_unknownName_errorWithSuggestion() throws Exception {
        Inventory inv = load("own/guide-multigroup.yml");
        HostPatternException e = assertThrows(HostPatternException.class, () -> inv.resolve("webserver:dbservers"));
        assertEquals("webserver", e.pattern());
        assertTrue(e.summary().contains("'webserver'"), e.summary());
        assertEquals("did you mean 'webservers'?", e.detail());
        assertThrows(HostPatternException.class, () -> inv.resolve("nothing*"));
        assertThrows(HostPatternException.class, () -> inv.resolve("dbservers[7]"));
    }

    @Test
    void resolve_withPosition_givesDiagnostic() throws Exception {
        Inventory inv = load("own/guide-multigroup.yml");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> inv.resolve("dbserver", new SourcePos("plan.yaml", 3, 12)));
        assertEquals(1, e.diagnostics().size());
        assertEquals(new SourcePos("plan.yaml", 3, 12), e.diagnostics().get(0).pos());
        assertEquals("did you mean 'dbservers'?", e.diagnostics().get(0).detail());
    }
}
