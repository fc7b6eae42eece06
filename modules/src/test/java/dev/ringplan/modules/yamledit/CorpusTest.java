package dev.ringplan.modules.yamledit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.yaml.SafeYaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The token-transplant edit on every cassandra.yaml of {@code src/test/resources/yaml_edit/corpus/}
 * (real files, Apache-2.0 or MIT; each one's origin and licence in SOURCES.tsv beside them).
 *
 * <p>Files lacking a key: the k8s seed-provider test file has no num_tokens nor initial_token
 * (both are added after the last root entry); the medusa "missing native port" file has no
 * seed_provider: the path {@code seed_provider[0].parameters[0].seeds} CREATES it (a list with one
 * mapping holding parameters: [{seeds: ...}]), which these tests assert.
 */
class CorpusTest {
    static final List<String> TOKENS = List.of("-9223372036854775808", "-8070450532247928832", "-6917529027641081856",
            "-5764607523034234880", "-4611686018427387904", "-3458764513820540928", "-2305843009213693952",
            "-1152921504606846976", "0", "1152921504606846976", "2305843009213693952", "3458764513820540928",
            "4611686018427387904", "5764607523034234880", "6917529027641081856", "8070450532247928832");
    static final String SEEDS = "127.0.0.1,127.0.0.2";
    static final List<String> KEYS = List.of("cluster_name", "num_tokens", "initial_token", "seeds", "seed_provider", "parameters");

    static Stream<String> files() {
        List<String> names = new ArrayList<>();
        for (String line : read("SOURCES.tsv").split("\n")) {
            String[] f = line.split("\t");
            String licence = f[f.length - 1].strip();
            if (licence.equals("Apache-2.0") || licence.equals("MIT") || licence.startsWith("BSD")) {
                names.add(f[0]);
            }
        }
        return names.stream();
    }

    static String read(String name) {
        try (InputStream in = CorpusTest.class.getResourceAsStream("/yaml_edit/corpus/" + name)) {
            assertNotNull(in, "fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<YamlTextEditor.Op> transplant() {
        return List.of(
                new YamlTextEditor.SetOp(YamlPath.parse("initial_token"), String.join(",", TOKENS)),
                new YamlTextEditor.SetOp(YamlPath.parse("num_tokens"), 16),
                new YamlTextEditor.SetOp(YamlPath.parse("seed_provider[0].parameters[0].seeds"), SEEDS),
                new YamlTextEditor.SetOp(YamlPath.parse("cluster_name"), "Clone Cluster"));
    }

    @SuppressWarnings("unchecked")
    static Object expected(String text) throws Exception {
        Map<String, Object> data = (Map<String, Object>) SafeYaml.toJava(SafeYaml.compose("x", text));
        data.put("initial_token", String.join(",", TOKENS));
        data.put("num_tokens", 16);
        data.put("cluster_name", "Clone Cluster");
        List<Object> sp = (List<Object>) data.get("seed_provider");
        if (sp == null) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("seeds", SEEDS);
            Map<String, Object> provider = new LinkedHashMap<>();
            provider.put("parameters", new ArrayList<>(List.of(params)));
            data.put("seed_provider", new ArrayList<>(List.of(provider)));
        } else {
            Map<String, Object> p0 = (Map<String, Object>) sp.get(0);
            ((Map<String, Object>) ((List<Object>) p0.get("parameters")).get(0)).put("seeds", SEEDS);
        }
        return YamlTextEditor.normalize(data);
    }

    @ParameterizedTest
    @MethodSource("files")
    void edit_noOpClusterName_identicalText(String file) throws Exception {
        String text = read(file);
        Object current = ((Map<?, ?>) SafeYaml.toJava(SafeYaml.compose(file, text))).get("cluster_name");
        YamlTextEditor.Outcome out = YamlTextEditor.edit(file, text,
                List.of(new YamlTextEditor.SetOp(YamlPath.parse("cluster_name"), current)));
        assertFalse(out.changed());
        assertEquals(text, out.text());
    }

    @ParameterizedTest
    @MethodSource("files")
    void edit_tokenTransplant_touchesOnlyTheKeys(String file) throws Exception {
        String text = read(file);
        YamlTextEditor.Outcome out = YamlTextEditor.edit(file, text, transplant());
        assertTrue(out.changed());
        Object reparsed = YamlTextEditor.normalize(SafeYaml.toJava(SafeYaml.compose(file, out.text())));
        assertEquals(expected(text), reparsed);

        String diff = YamlEditModule.unifiedDiff("/etc/cassandra/cassandra.yaml", text, out.text());
        assertTrue(diff.startsWith("--- a/etc/cassandra/cassandra.yaml\n+++ b/etc/cassandra/cassandra.yaml\n@@ "), diff);
        int changedLines = 0;
        Map<String, Integer> perKey = new LinkedHashMap<>();
        for (String line : diff.split("\n")) {
            if (line.startsWith("+++") || line.startsWith("---") || !(line.startsWith("+") || line.startsWith("-"))) {
                continue;
            }
            changedLines++;
            String key = KEYS.stream().filter(line::contains).findFirst().orElse(null);
            assertNotNull(key, file + ": changed line mentions none of the edited keys: " + line + "\n" + diff);
            perKey.merge(key, 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> e : perKey.entrySet()) {
            assertTrue(e.getValue() <= 2, file + ": " + e.getValue() + " changed lines for " + e.getKey() + "\n" + diff);
        }
        assertTrue(changedLines >= 4 && changedLines <= 10, file + ": " + changedLines + " changed lines\n" + diff);
        // every unchanged line is byte-identical: removing the changed lines of both sides gives the same text
        assertEquals(text.lines().count() + added(diff) - removed(diff), out.text().lines().count());

        YamlTextEditor.Outcome again = YamlTextEditor.edit(file, out.text(), transplant());
        assertFalse(again.changed(), "second application is a no-op");
        assertEquals(out.text(), again.text());
    }

    @ParameterizedTest
    @MethodSource("files")
    void edit_tokenTransplantCrlf_keepsCrlfEverywhere(String file) throws Exception {
        String text = read(file).replace("\r\n", "\n").replace("\n", "\r\n");
        YamlTextEditor.Outcome out = YamlTextEditor.edit(file, text, transplant());
        assertEquals(expected(text), YamlTextEditor.normalize(SafeYaml.toJava(SafeYaml.compose(file, out.text()))));
        assertFalse(out.text().replace("\r\n", "").contains("\n"), "no bare LF in " + file);
        String lfOut = YamlTextEditor.edit(file, read(file), transplant()).text();
        assertEquals(lfOut, out.text().replace("\r\n", "\n"), "same edit as with LF");
    }

    private static long added(String diff) {
        return diff.lines().filter(l -> l.startsWith("+") && !l.startsWith("+++")).count();
    }

    private static long removed(String diff) {
        return diff.lines().filter(l -> l.startsWith("-") && !l.startsWith("---")).count();
    }
}
