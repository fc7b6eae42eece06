package dev.ringplan.engine.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.diag.Diagnostic;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Structure rules and error reporting of {@link InventoryParser}. */
class InventoryParserTest {

    private static List<Diagnostic> errors(String text) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InventoryParser.parse("inv.yml", text));
        return e.diagnostics();
    }

    @Test
    void parse_integerHostname_errorAsAnsible() {
        List<Diagnostic> d = errors("all:\n  children:\n    kids:\n      hosts:\n        1234: {}\n");
        assertEquals(1, d.size());
        assertEquals(new SourcePos("inv.yml", 5, 9), d.get(0).pos());
        assertTrue(d.get(0).summary().startsWith("Host pattern 1234 must be a string"), d.get(0).summary());
    }

    @Test
    void parse_quotedIntegerHostname_isFine() throws Exception {
        Inventory inv = InventoryParser.parse("inv.yml", "all:\n  hosts:\n    '1234':\n");
        assertEquals(List.of("1234"), inv.hosts());
    }

    @Test
    void parse_unknownGroupKey_errorWithSuggestionAndEveryProblemAtOnce() {
        List<Diagnostic> d = errors("all:\n  children:\n    g:\n      host:\n        a:\n"
                + "    h:\n      hosts: [a, b]\n    i:\n      chilren: {}\n");
        assertEquals(3, d.size());
        assertEquals(new SourcePos("inv.yml", 4, 7), d.get(0).pos());
        assertTrue(d.get(0).summary().contains("'host'"), d.get(0).summary());
        assertEquals("did you mean 'hosts'?", d.get(0).detail());
        assertEquals(new SourcePos("inv.yml", 7, 14), d.get(1).pos());
        assertTrue(d.get(1).summary().startsWith("Invalid \"hosts\" entry for \"h\" group"), d.get(1).summary());
        assertEquals("did you mean 'children'?", d.get(2).detail());
    }

    @Test
    void parse_bigGroupWithRepeatedHosts_listsEachHostOnceInFirstSeenOrder() throws Exception {
        // 20,000 hosts in one group, the range listed twice: each host is in the group once,
        // in the order first seen (a linear membership check per host keeps this fast)
        String text = "all:\n  children:\n    ring:\n      hosts:\n        n[00001:20000]:\n"
                + "    other:\n      hosts:\n        n00002:\n"
                + "    ring2:\n      children:\n        ring:\n      hosts:\n        n[00001:20000]:\n";
        Inventory inv = InventoryParser.parse("inv.yml", text);
        List<String> ring = inv.groupDefinitions().get("ring").hosts();
        assertEquals(20000, ring.size());
        assertEquals("n00001", ring.get(0));
        assertEquals("n20000", ring.get(19999));
        assertEquals(20000, inv.groupDefinitions().get("ring2").hosts().size());
        assertEquals(20000, inv.hosts().size());
        assertEquals(List.of("other", "ring", "ring2"), inv.groupsOf("n00002").stream().sorted().toList());
    }

    @Test
    void parse_groupNotAMapping_error() {
        List<Diagnostic> d = errors("web: [a, b]\n");
        assertEquals(new SourcePos("inv.yml", 1, 6), d.get(0).pos());
        assertTrue(d.get(0).summary().contains("not a valid group definition"), d.get(0).summary());
    }

    @Test
    void parse_badRange_errorAtHostKey() {
        List<Diagnostic> d = errors("all:\n  hosts:\n    n[01:100]:\n");
        assertEquals(new SourcePos("inv.yml", 3, 5), d.get(0).pos());
        assertTrue(d.get(0).summary().contains("equal-length"), d.get(0).summary());
    }

    @Test
    void parse_hostVarsNotAMapping_error() {
        List<Diagnostic> d = errors("all:\n  hosts:\n    a: [1]\n");
        assertEquals(new SourcePos("inv.yml", 3, 8), d.get(0).pos());
    }

    @Test
    void parse_falsyHostValues_meanNoVars() throws Exception {
        Inventory inv = InventoryParser.parse("inv.yml", "all:\n  hosts:\n    a: ''\n    b: false\n    c: {}\n");
        assertEquals(List.of("a", "b", "c"), inv.hosts());
        assertEquals(Map.of(), inv.hostVars("b"));
    }

    @Test
    void parse_stringSections_areOneKeyMappings() throws Exception {
        Inventory inv = InventoryParser.parse("inv.yml", "web:\n  hosts: w1\n  children: sub\n  vars: flag\nsub:\n  hosts: s1\n");
        assertEquals(List.of("w1"), inv.group("web").orElseThrow().hosts());
        assertEquals(List.of("sub"), inv.group("web").orElseThrow().children());
        assertTrue(inv.hostVars("w1").containsKey("flag"));
        assertEquals(null, inv.hostVars("w1").get("flag"));
        assertEquals(List.of("web"), inv.group("sub").orElseThrow().parents());
    }

    @Test
    void parse_cycle_error() {
        List<Diagnostic> d = errors("a:\n  children:\n    b:\n      children:\n        a:\n");
        assertEquals(1, d.size());
        // as in Ansible, the loop is found when b is linked under a, after a was linked under b
        assertEquals(new SourcePos("inv.yml", 3, 5), d.get(0).pos());
        assertTrue(d.get(0).summary().contains("recursive dependency loop"), d.get(0).summary());
    }

    @Test
    void parse_duplicateKey_error() {
        List<Diagnostic> d = errors("all:\n  hosts:\n    a:\n    a:\n");
        assertEquals(new SourcePos("inv.yml", 4, 5), d.get(0).pos());
        assertTrue(d.get(0).summary().contains("duplicate key 'a'"), d.get(0).summary());
    }

    @Test
    void parse_emptyPluginAndNonMapping_errors() {
        assertTrue(errors("").get(0).summary().contains("empty"));
        assertTrue(errors("# only a comment\n").get(0).summary().contains("empty"));
        assertTrue(errors("plugin: aws_ec2\n").get(0).summary().contains("Plugin configuration"));
        assertTrue(errors("- a\n- b\n").get(0).summary().contains("invalid structure"));
    }

    @Test
    void parse_iniInventory_saysSo() {
        Diagnostic d = errors("[web]\nw1 ansible_host=10.0.0.1\n\n[db]\nd1\n").get(0);
        assertTrue(d.detail().contains("INI inventory"), d.format());
    }

    @Test
    void parse_yamlSyntaxError_hasPosition() {
        Diagnostic d = errors("all:\n  hosts:\n    a: [1\n").get(0);
        assertTrue(d.pos().line() > 0, d.format());
    }

    @Test
    void parse_vaultValue_error() {
        Diagnostic d = errors("all:\n  vars:\n    pw: !vault |\n      $ANSIBLE_VAULT;1.1;AES256\n      6162\n").get(0);
        assertEquals(new SourcePos("inv.yml", 3, 9), d.pos());
        assertTrue(d.summary().contains("vault"), d.summary());
    }

    @Test
    void parse_mergeKeys_flattenedAsPyYaml() throws Exception {
        Inventory inv = InventoryParser.parse("inv.yml", "all:\n  hosts:\n    a: &base {x: 1, y: 1}\n"
                + "    b:\n      <<: *base\n      y: 2\n");
        assertEquals(Map.of("x", 1, "y", 2), inv.hostVars("b"));
    }

    @Test
    void parse_groupPriorityNotANumber_error() {
        Diagnostic d = errors("g:\n  vars:\n    ansible_group_priority: high\n  hosts: a\n").get(0);
        assertEquals(new SourcePos("inv.yml", 3, 29), d.pos());
    }

    @Test
    void parse_path_readsVarsDirectoriesAndReportsBadVarsFile(@TempDir Path dir) throws Exception {
        Path inv = dir.resolve("hosts.yml");
        Files.writeString(inv, "all:\n  hosts:\n    n1:\n");
        Files.createDirectories(dir.resolve("host_vars"));
        Files.writeString(dir.resolve("host_vars/n1.yaml"), "- not\n- a mapping\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InventoryParser.parse(inv));
        assertTrue(e.diagnostics().get(0).pos().file().endsWith("n1.yaml"), e.getMessage());
        Files.writeString(dir.resolve("host_vars/n1.yaml"), "cassandra_yaml: /etc/c.yaml\n");
        assertEquals("/etc/c.yaml", InventoryParser.parse(inv).hostVars("n1").get("cassandra_yaml"));
    }

    @Test
    void parse_missingFile_error(@TempDir Path dir) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> InventoryParser.parse(dir.resolve("nope.yml")));
        assertTrue(e.getMessage().contains("cannot read inventory"), e.getMessage());
    }

    @Test
    void parse_valueTypes_asPyYaml() throws Exception {
        Inventory inv = InventoryParser.parse("inv.yml", "all:\n  hosts:\n    a:\n      f: 1e16\n      g: 1.0e+3\n"
                + "      d: 2024-01-02\n      t: 2024-01-02 03:04:05\n      n: 0x10\n      s: !unsafe '{{ x }}'\n");
        Map<String, Object> v = inv.hostVars("a");
        assertEquals("1e16", v.get("f"));
        assertEquals(1000.0, v.get("g"));
        assertEquals("2024-01-02", v.get("d"));
        assertEquals("2024-01-02T03:04:05", v.get("t"));
        assertEquals(16, v.get("n"));
        assertEquals("{{ x }}", v.get("s"));
    }
}
