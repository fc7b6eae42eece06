package dev.ringplan.engine.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.diag.Diagnostic;
import dev.ringplan.engine.diag.InvalidInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each limit and refusal of {@link SafeYaml}, located where it tripped. */
class SafeYamlTest {
    private static String error(String text) {
        return assertThrows(InvalidInputException.class, () -> SafeYaml.compose("f.yaml", text))
                .diagnostics().get(0).format();
    }

    @Test
    void compose_tooManyAliases_locatedAtTheAliasOverTheLimit() {
        StringBuilder sb = new StringBuilder("a: &a [x]\nb: [");
        for (int i = 0; i < 51; i++) {
            sb.append(i == 0 ? "" : ",").append("*a");
        }
        sb.append("]\n");
        // the 51st alias starts at column 5 + 3 * 50 of line 2
        assertEquals("f.yaml:2:155: error: too many aliases: more than 50 aliases to lists or mappings (a YAML bomb?);"
                + " this is where the limit was reached", error(sb.toString()));
    }

    @Test
    void compose_tooDeep_locatedAtTheLevelOverTheLimit() {
        assertEquals("f.yaml:1:51: error: nesting too deep: more than 50 levels of lists and mappings;"
                + " this is the level where the limit was reached", error("[".repeat(60) + "]".repeat(60)));
    }

    @Test
    void compose_starStartingAnAliasInAFlowList_saysToQuote() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SafeYaml.compose("p.yaml", "needs: [a, b[*]]\n"));
        Diagnostic d = e.diagnostics().get(0);
        assertEquals(1, d.pos().line(), d.format());
        assertTrue(d.summary().startsWith("YAML syntax error") && d.summary().contains("scanning an alias"), d.format());
        assertEquals("'*' starts a YAML alias (*name): quote a value that contains '*', e.g. needs: [\"A[*]\"] instead"
                + " of needs: [A[*]]", d.detail());
        InvalidInputException other = assertThrows(InvalidInputException.class,
                () -> SafeYaml.compose("p.yaml", "a: [b\n"));
        assertNull(other.diagnostics().get(0).detail(), "other syntax errors carry no alias hint");
    }

    @Test
    void compose_duplicateKey_namesBothLines() {
        assertEquals("f.yaml:3:1: error: duplicate key 'a' at line 3, first at line 1 (f.yaml:1:1):"
                + " a key may appear only once in a mapping", error("a: 1\nb: 2\na: 3\n"));
    }

    @Test
    void compose_recursiveAliasAndBadTypedScalar_located() {
        assertEquals("f.yaml:2:4: error: recursive alias: the list anchored here contains an alias to itself",
                error("x:\n   &a [1, *a]\n"));
        assertEquals("f.yaml:1:4: error: 'abc' is not a valid !!int value: For input string: \"abc\"", error("n: !!int abc\n"));
    }

    @Test
    void compose_controlCharacter_locatedAtIt() {
        assertEquals("f.yaml:2:5: error: character U+0007 is not allowed in YAML (control characters other than"
                + " tab and newline are refused)", error("a: 1\nb: x\u0007\n"));
    }

    @Test
    void decodeUtf8_badByte_offsetLineAndColumn() {
        byte[] bytes = "a: 1\nbb: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SafeYaml.decodeUtf8("f.yaml", bytes, "plan"));
        assertEquals("f.yaml:2:8: error: plan file is not valid UTF-8: byte 0xE9 at byte offset 12 (line 2) does not"
                + " start a valid UTF-8 sequence; save the file as UTF-8", e.diagnostics().get(0).format());
        assertEquals("x: é", assertDoesNotThrowDecode("\uFEFFx: é".getBytes(StandardCharsets.UTF_8)));
    }

    private static String assertDoesNotThrowDecode(byte[] bytes) {
        try {
            return SafeYaml.decodeUtf8("f.yaml", bytes, "plan");
        } catch (InvalidInputException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
