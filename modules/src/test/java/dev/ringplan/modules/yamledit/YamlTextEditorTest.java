package dev.ringplan.modules.yamledit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.yaml.SafeYaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlTextEditorTest {

    private static String set(String text, String path, Object value) throws Exception {
        return YamlTextEditor.edit("t.yaml", text, List.of(new YamlTextEditor.SetOp(YamlPath.parse(path), value))).text();
    }

    private static String delete(String text, String path) throws Exception {
        return YamlTextEditor.edit("t.yaml", text, List.of(new YamlTextEditor.DeleteOp(YamlPath.parse(path)))).text();
    }

    private static Object data(String text) throws Exception {
        return SafeYaml.toJava(SafeYaml.compose("t.yaml", text));
    }

    @Test
    void set_existingScalar_replacesOnlyTheValue() throws Exception {
        String t = "# head\na: 1   # trailing\nb: x\n";
        assertEquals("# head\na: 2   # trailing\nb: x\n", set(t, "a", 2));
    }

    @Test
    void set_nestedExisting_keepsIndentation() throws Exception {
        String t = "server:\n    internode: none\n    keystore: conf/.keystore\n";
        assertEquals("server:\n    internode: all\n    keystore: conf/.keystore\n", set(t, "server.internode", "all"));
    }

    @Test
    void set_nestedMissingKey_insertedAfterLastSibling() throws Exception {
        String t = "server:\n    a: 1\n    b: 2\n# tail\nc: 3\n";
        assertEquals("server:\n    a: 1\n    b: 2\n    x: y\n# tail\nc: 3\n", set(t, "server.x", "y"));
    }

    @Test
    void set_deepMissingPath_createsMappingsWithDocumentStep() throws Exception {
        String t = "a:\n    b: 1\n";
        String out = set(t, "x.y.z", true);
        assertEquals("a:\n    b: 1\nx:\n    y:\n        z: true\n", out);
    }

    @Test
    void set_missingTopLevel_usesCommentedExample() throws Exception {
        String t = "a: 1\n\n# explained here\n# initial_token:\n\nb: 2\n";
        assertEquals("a: 1\n\n# explained here\ninitial_token: 1,2\n\nb: 2\n", set(t, "initial_token", "1,2"));
    }

    @Test
    void set_commentedExampleInsideBlockScalar_notUsed() throws Exception {
        String t = "a: |\n  # k:\n  text\nb: 2\n";
        String out = set(t, "k", 1);
        assertEquals("a: |\n  # k:\n  text\nb: 2\nk: 1\n", out);
    }

    @Test
    void set_listIndex_replacesItemKeepingQuotes() throws Exception {
        String t = "seed_provider:\n  - class_name: X\n    parameters:\n      - seeds: \"1.1.1.1\"\n";
        assertEquals("seed_provider:\n  - class_name: X\n    parameters:\n      - seeds: \"2.2.2.2,3.3.3.3\"\n",
                set(t, "seed_provider[0].parameters[0].seeds", "2.2.2.2,3.3.3.3"));
    }

    @Test
    void set_listIndexEqualToSize_appends() throws Exception {
        String t = "dirs:\n    - /a\n    - /b\nnext: 1\n";
        assertEquals("dirs:\n    - /a\n    - /b\n    - /c\nnext: 1\n", set(t, "dirs[2]", "/c"));
    }

    @Test
    void set_listIndexBeyondSize_fails() {
        YamlEditException e = assertThrows(YamlEditException.class, () -> set("dirs:\n  - /a\n", "dirs[3]", "/c"));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    }

    @Test
    void set_blockList_replacedInBlockStyle() throws Exception {
        String t = "data_file_directories:\n    - /a   # old\n    - /b\n# after\nx: 1\n";
        assertEquals("data_file_directories:\n    - /c\n    - /d\n# after\nx: 1\n",
                set(t, "data_file_directories", List.of("/c", "/d")));
    }

    @Test
    void set_flowList_replacedInFlowStyle() throws Exception {
        assertEquals("dirs: [/c, 'x, y']  # c\n", set("dirs: [/a, /b]  # c\n", "dirs", List.of("/c", "x, y")));
    }

    @Test
    void set_nullValueToList_writesBlockUnderKey() throws Exception {
        assertEquals("dirs:\n  - /a\nx: 1\n", set("dirs:\nx: 1\n", "dirs", List.of("/a")));
    }

    @Test
    void set_blockMapToScalar_replacesTheBlock() throws Exception {
        assertEquals("a: 5\nb: 1\n", set("a:\n  x: 1\n  y: 2\nb: 1\n", "a", 5));
    }

    @Test
    void set_mapValue_renderedNested() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", "org.apache.cassandra.locator.SimpleSeedProvider");
        m.put("parameters", List.of(Map.of("seeds", "10.0.0.1,10.0.0.2")));
        String out = set("a: 1\n", "seed_provider", List.of(m));
        assertEquals("a: 1\nseed_provider:\n  - class_name: org.apache.cassandra.locator.SimpleSeedProvider\n"
                + "    parameters:\n      - seeds: 10.0.0.1,10.0.0.2\n", out);
    }

    @Test
    void set_typeRendering_quotesWhatWouldChangeType() throws Exception {
        assertEquals("a: '16'\n", set("a: x\n", "a", "16"));
        assertEquals("a: 'yes'\n", set("a: x\n", "a", "yes"));
        assertEquals("a: 'null'\n", set("a: x\n", "a", "null"));
        assertEquals("a: 16\n", set("a: x\n", "a", 16));
        assertEquals("a: true\n", set("a: x\n", "a", true));
        assertEquals("a: 1.5\n", set("a: x\n", "a", 1.5));
        assertEquals("a: null\n", set("a: x\n", "a", null));
        assertEquals("a: 'b: c # d'\n", set("a: x\n", "a", "b: c # d"));
        assertEquals("a: '- x'\n", set("a: x\n", "a", "- x"));
        assertEquals("a: ''\n", set("a: x\n", "a", ""));
        assertEquals("a: \"line1\\nline2\"\n", set("a: x\n", "a", "line1\nline2"));
        assertEquals("a: 9223372036854775808\n", set("a: x\n", "a", new java.math.BigInteger("9223372036854775808")));
    }

    @Test
    void set_quotingPreserved_singleDoubleAndPlain() throws Exception {
        assertEquals("a: 'New Name'\n", set("a: 'Old Name'\n", "a", "New Name"));
        assertEquals("a: \"New Name\"\n", set("a: \"Old Name\"\n", "a", "New Name"));
        assertEquals("a: New Name\n", set("a: Old Name\n", "a", "New Name"));
        assertEquals("a: 'it''s'\n", set("a: 'x'\n", "a", "it's"));
        assertEquals("a: \"say \\\"hi\\\"\"\n", set("a: \"x\"\n", "a", "say \"hi\""));
        // an int replacing a quoted string must not stay quoted (it would read back as a string)
        assertEquals("a: 16\n", set("a: \"256\"\n", "a", 16));
    }

    @Test
    void set_untrustedValue_cannotInjectKeys() throws Exception {
        String evil = "x\nevil: true";
        String out = set("a: 1\nb: 2\n", "a", evil);
        Map<?, ?> d = (Map<?, ?>) data(out);
        assertEquals(evil, d.get("a"));
        assertEquals(2, d.size());
        String out2 = set("a: 1\n", "k: v", "z");
        assertEquals(Map.of("a", 1, "k: v", "z"), data(out2));
    }

    @Test
    void set_emptyValueKey_insertsWithSpace() throws Exception {
        assertEquals("initial_token: 5\nb: 1\n", set("initial_token:\nb: 1\n", "initial_token", 5));
    }

    @Test
    void set_sameValue_isNoOpEvenWithOtherQuoting() throws Exception {
        YamlTextEditor.Outcome o = YamlTextEditor.edit("t", "a: 'x'\nn: 16\n", List.of(
                new YamlTextEditor.SetOp(YamlPath.parse("a"), "x"), new YamlTextEditor.SetOp(YamlPath.parse("n"), 16L)));
        assertFalse(o.changed());
        assertEquals("a: 'x'\nn: 16\n", o.text());
    }

    @Test
    void set_stringVersusInt_isAChange() throws Exception {
        assertEquals("n: '16'\n", set("n: 16\n", "n", "16"));
    }

    @Test
    void set_crlf_keepsCrlfOnNewLines() throws Exception {
        String t = "a: 1\r\nlist:\r\n  - x\r\n";
        String out = set(set(t, "b.c", 2), "list[1]", "y");
        assertEquals("a: 1\r\nlist:\r\n  - x\r\n  - y\r\nb:\r\n  c: 2\r\n", out);
    }

    @Test
    void set_nonBmpCharactersBefore_spansMappedToCharIndexes() throws Exception {
        String t = "emoji: \"😀😀 \uD834\uDD1E\"\nname: 'x'\nlast: 1\n";
        assertEquals("emoji: \"😀😀 \uD834\uDD1E\"\nname: 'y'\nlast: 1\n", set(t, "name", "y"));
        assertEquals("emoji: \"é😀\"\nname: 'x'\nlast: 1\n", set(t, "emoji", "é😀"));
    }

    @Test
    void set_tabsInCommentsAndValues_kept() throws Exception {
        String t = "#\tcomment with\ttabs\na: 1\nb: \"x\ty\"\n";
        assertEquals("#\tcomment with\ttabs\na: 2\nb: \"x\ty\"\n", set(t, "a", 2));
        assertEquals("#\tcomment with\ttabs\na: 1\nb: \"x\\tz\"\n", set(t, "b", "x\tz"));
    }

    @Test
    void edit_tabIndentation_failsClearly() {
        YamlEditException e = assertThrows(YamlEditException.class, () -> set("a:\n\tb: 1\n", "a.b", 2));
        assertTrue(e.getMessage().contains("not valid YAML") && e.getMessage().contains("TAB"), e.getMessage());
    }

    @Test
    void set_emptyDocument_createsKeyKeepingComments() throws Exception {
        assertEquals("# only comments\na: 1\n", set("# only comments\n", "a", 1));
        assertEquals("a:\n  b: 1\n", set("", "a.b", 1));
    }

    @Test
    void set_flowMapMissingKey_insertedInFlow() throws Exception {
        assertEquals("o: {a: 1, b: x y}\n", set("o: {a: 1}\n", "o.b", "x y"));
        assertEquals("o: {a: 1, b: 'x, y'}\n", set("o: {a: 1}\n", "o.b", "x, y"));
        assertEquals("o: [1, 2, 3]\n", set("o: [1, 2]\n", "o[2]", 3));
    }

    @Test
    void set_throughScalar_failsClearly() {
        YamlEditException e = assertThrows(YamlEditException.class, () -> set("a: 1\n", "a.b", 2));
        assertTrue(e.getMessage().contains("a is an integer") || e.getMessage().contains("not a mapping"), e.getMessage());
    }

    @Test
    void set_throughAlias_failsClearly() {
        String t = "base: &b\n  x: 1\nother: *b\n";
        YamlEditException e = assertThrows(YamlEditException.class, () -> set(t, "other.x", 2));
        assertTrue(e.getMessage().contains("alias"), e.getMessage());
    }

    @Test
    void edit_invalidYaml_failsWithPosition() {
        YamlEditException e = assertThrows(YamlEditException.class, () -> set("a: [1\nb: 2\n", "a", 1));
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @Test
    void delete_blockEntry_removesItsLinesOnly() throws Exception {
        String t = "a: 1\n# about b\nb:\n  - x\n  - y\nc: 3\n";
        assertEquals("a: 1\n# about b\nc: 3\n", delete(t, "b"));
    }

    @Test
    void delete_nested_andListItem() throws Exception {
        String t = "o:\n  a: 1\n  b: 2\nl:\n  - x\n  - y\n  - z\n";
        assertEquals("o:\n  b: 2\nl:\n  - x\n  - y\n  - z\n", delete(t, "o.a"));
        assertEquals("o:\n  a: 1\n  b: 2\nl:\n  - x\n  - z\n", delete(t, "l[1]"));
    }

    @Test
    void delete_onlyEntry_leavesEmptyCollection() throws Exception {
        assertEquals("o: {}\nz: 1\n", delete("o:\n  a: 1\nz: 1\n", "o.a"));
        assertEquals("o: []\nz: 1\n", delete("o:\n  - 1\nz: 1\n", "o[0]"));
    }

    @Test
    void delete_compactFirstKeyOfListItem() throws Exception {
        String t = "sp:\n  - class_name: X\n    parameters: 1\n";
        assertEquals("sp:\n  - parameters: 1\n", delete(t, "sp[0].class_name"));
    }

    @Test
    void delete_flowEntries() throws Exception {
        assertEquals("o: {a: 1}\n", delete("o: {a: 1, b: 2}\n", "o.b"));
        assertEquals("o: {b: 2}\n", delete("o: {a: 1, b: 2}\n", "o.a"));
        assertEquals("o: [2]\n", delete("o: [1, 2]\n", "o[0]"));
    }

    @Test
    void delete_absent_isNoOp() throws Exception {
        YamlTextEditor.Outcome o = YamlTextEditor.edit("t", "a: 1\n",
                List.of(new YamlTextEditor.DeleteOp(YamlPath.parse("b.c"))));
        assertFalse(o.changed());
    }

    @Test
    void edit_setThenDelete_inOrder() throws Exception {
        YamlTextEditor.Outcome o = YamlTextEditor.edit("t", "a: 1\nb: 2\n", List.of(
                new YamlTextEditor.SetOp(YamlPath.parse("c"), new ArrayList<>(List.of("x"))),
                new YamlTextEditor.DeleteOp(YamlPath.parse("a"))));
        assertEquals("b: 2\nc:\n  - x\n", o.text());
    }

    @Test
    void path_parse_segmentsAndErrors() {
        assertEquals(List.of("seed_provider", 0, "parameters", 0, "seeds"),
                YamlPath.parse("seed_provider[0].parameters[0].seeds").segments());
        assertEquals(List.of("a.b", "c"), YamlPath.parse("[\"a.b\"].c").segments());
        assertThrows(IllegalArgumentException.class, () -> YamlPath.parse("a..b"));
        assertThrows(IllegalArgumentException.class, () -> YamlPath.parse("a[x]"));
        assertThrows(IllegalArgumentException.class, () -> YamlPath.parse("a[0"));
        assertThrows(IllegalArgumentException.class, () -> YamlPath.parse(""));
    }
}
