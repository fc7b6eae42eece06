package dev.ringplan.modules.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellWordsTest {

    @Test
    void split_quotesAndEscapes() {
        assertEquals(List.of("echo", "a b", "c'd", "e\"f", "g h", "$HOME", "*", "x|y", ">out"),
                ShellWords.split("echo 'a b' \"c'd\" 'e\"f' g\\ h '$HOME' \\* x|y >out"));
        assertEquals(List.of("ab", "c d"), ShellWords.split("  a'b'  \"c d\"\t"));
        assertEquals(List.of("", "x"), ShellWords.split("'' x"));
        assertEquals(List.of("a\"$`\\b", "c\\d"), ShellWords.split("\"a\\\"\\$\\`\\\\b\" \"c\\d\""));
        assertEquals(List.of(), ShellWords.split("   "));
    }

    @Test
    void split_unterminated_fails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShellWords.split("echo 'abc"));
        assertTrue(e.getMessage().contains("column 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShellWords.split("echo \"abc"));
        assertThrows(IllegalArgumentException.class, () -> ShellWords.split("echo abc\\"));
    }

    @Test
    void join_roundTrip() {
        List<List<String>> cases = List.of(
                List.of("nodetool", "-h", "127.0.0.1", "snapshot", "-t", "nightly"),
                List.of("printf", "%s\\n", "it's", "a \"quoted\" word", "", "tab\there", "new\nline", "$(rm -rf /)", "ünï"),
                List.of("/bin/sh", "-c", "echo 'x' | wc -c > /tmp/out"));
        for (List<String> argv : cases) {
            assertEquals(argv, ShellWords.split(ShellWords.join(argv)), ShellWords.join(argv));
        }
        assertEquals("nodetool -h 127.0.0.1", ShellWords.join(List.of("nodetool", "-h", "127.0.0.1")));
        assertEquals("'it'\"'\"'s'", ShellWords.quote("it's"));
    }
}
