package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.diag.Diagnostic;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.secret.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -e} in ansible-playbook's three forms; errors locate the problem and never quote a value. */
class ExtraVarsTest {
    private static final String PW = "S3cr3t-Zebra-42";

    private static String errors(List<String> specs) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ExtraVars.parse(specs));
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : e.diagnostics()) {
            sb.append(d.format()).append('\n');
        }
        return sb.toString();
    }

    @Test
    void parse_keyValueWords() throws Exception {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", "1");
        expected.put("b", "two words");
        expected.put("c", "it's");
        expected.put("d", "x=y");
        expected.put("e", "");
        expected.put("f", "{{ tag | default('t') }}");
        expected.put("g", "$HOME\"q\"");
        assertEquals(expected, ExtraVars.parse(List.of(
                "a=1 b=\"two words\"  c='it'\\''s' d=x=y e= f={{ tag | default('t') }} g=\"\\$HOME\\\"q\\\"\"")));
    }

    @Test
    void parse_inlineJsonAndYamlKeepTypes() throws Exception {
        assertEquals(Map.of("n", 1, "l", List.of("a", 2), "m", Map.of("k", true)),
                ExtraVars.parse(List.of("{\"n\": 1, \"l\": [\"a\", 2], \"m\": {\"k\": true}}")));
        assertEquals(Map.of("tag", "t1", "rolling", true), ExtraVars.parse(List.of("{tag: t1, rolling: yes}")));
    }

    @Test
    void parse_fileYamlOrJson_laterWins(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("vars.yaml"), "tag: t1\nnodes: [n1, n2]\ndb_password: x\n");
        Path json = Files.writeString(dir.resolve("vars.json"), "{\"tag\": \"t2\", \"port\": 9042}");
        Map<String, Object> v = ExtraVars.parse(List.of("@" + yaml, "@" + json, "db_password=y"));
        assertEquals(Map.of("tag", "t2", "nodes", List.of("n1", "n2"), "db_password", "y", "port", 9042), v);
    }

    @Test
    void parse_keyValueErrorsLocatedWithoutValues() {
        String e = errors(List.of("tag=t1", "db_password=" + PW + " oops", "1x=" + PW, "db_password='" + PW));
        assertTrue(e.contains("-e #2:1:29: error: word 2 is not KEY=VALUE"), e);
        assertTrue(e.contains("-e #3:1:1: error: word 1: the text before '=' is not a variable name"), e);
        assertTrue(e.contains("-e #4:1:13: error: unterminated single quote"), e);
        assertFalse(e.contains("Zebra") || e.contains("oops"), e);
    }

    @Test
    void parse_magicVariablesRefusedInEveryForm(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("e.yaml");
        Files.writeString(f, "tag: t\nhostvars: {}\n");
        String e = errors(List.of("tag=t1 inventory_hostname=x", "{\"groups\": []}", "@" + f));
        assertTrue(e.contains("-e #1:1:8: error: 'inventory_hostname' is a magic variable that Ringplan sets for each host:"
                + " -e cannot set it"), e);
        assertTrue(e.contains("Ansible would silently keep its own value"), e);
        assertTrue(e.contains("-e #2:1:2: error: 'groups' is a magic variable"), e);
        assertTrue(e.contains(f + ":2:1: error: 'hostvars' is a magic variable"), e);
        assertEquals(Map.of("item", "x"), ExtraVars.parse(List.of("item=x")), "item is not set by Ringplan");
    }

    @Test
    void parse_inlineErrorsLocatedWithoutValues() {
        String e = errors(List.of("{\"db_password\": \"" + PW + "\", oops", "[\"" + PW + "\"]", "{\"bad name\": 1}"));
        assertTrue(e.contains("-e #1:1:"), e);
        assertTrue(e.contains("YAML syntax error"), e);
        assertTrue(e.contains("-e #2:1:1: error: an inline extra vars value must be a mapping of variable names to values, got a list"), e);
        assertTrue(e.contains("-e #3:1:2: error: not a variable name"), e);
        assertFalse(e.contains("Zebra") || e.contains("oops"), e);
    }

    @Test
    void parse_fileErrorsLocatedWithoutValues(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "db_password: " + PW + "\nnodes: [n1\n");
        Path list = Files.writeString(dir.resolve("list.yaml"), "- " + PW + "\n");
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        Path latin1 = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xe9});
        String e = errors(List.of("@" + bad, "@" + list, "@" + empty, "@" + latin1, "@" + dir.resolve("missing.yaml"), "@"));
        assertTrue(e.contains(bad + ":3:1: error: YAML syntax error"), e);
        assertTrue(e.contains(list + ":1:1: error: an extra vars file must be a mapping of variable names to values, got a list"), e);
        assertTrue(e.contains(empty + ": error: an extra vars file is empty"), e);
        assertTrue(e.contains(latin1 + ": error: extra vars file is not UTF-8 text"), e);
        assertTrue(e.contains(dir.resolve("missing.yaml") + ": error: extra vars file not found (-e #5)"), e);
        assertTrue(e.contains("-e #6: error: '@' must be followed by a file name"), e);
        assertFalse(e.contains("Zebra"), e);
    }

    @Test
    void secretsOf_rawArguments(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("v.yaml"), "api_key: file-Secret-1\nregion: plain-value\n");
        Secrets s = ExtraVars.secretsOf(new String[] {"run", "p.yaml", "-e", "db_password=" + PW + " tag=t1",
                "--extra-vars=ssh_pass=Other-Pass-2", "-e@" + f, "-e", "admin_password", "Forgot-Equals-3", "--extra-var=api_token=Typo-Option-4"});
        assertEquals("******** ******** ******** ******** ******** t1 plain-value",
                s.maskText(PW + " Other-Pass-2 file-Secret-1 Forgot-Equals-3 Typo-Option-4 t1 plain-value"));
    }
}
