package dev.ringplan.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ShellQuoteTest {

    static final List<String> NASTY = List.of(
            "plain", "", "with space", "two  spaces", "it's", "'", "''", "\"double\"", "$HOME", "${PATH}",
            "`id`", "$(id)", "back\\slash", "line1\nline2", "\n", "tab\there", "*", "?", "[a]", "~", "~root",
            "a=b", "#comment", "semi;colon", "pipe|amp&", "<in>out", "!bang", "ünïcødé ✓ 日本", "-n", "--",
            "trailing\\", "%s", "{a,b}");

    @Test
    void quote_safeWordsUnchanged() {
        assertEquals("abc", ShellQuote.quote("abc"));
        assertEquals("/var/lib/cassandra-data_1.2:x,y@z%+", ShellQuote.quote("/var/lib/cassandra-data_1.2:x,y@z%+"));
    }

    @Test
    void quote_specialCharactersSingleQuoted() {
        assertEquals("''", ShellQuote.quote(""));
        assertEquals("'a b'", ShellQuote.quote("a b"));
        assertEquals("'it'\"'\"'s'", ShellQuote.quote("it's"));
        assertEquals("'$HOME'", ShellQuote.quote("$HOME"));
        assertEquals("'a=b'", ShellQuote.quote("a=b"));
        assertEquals("'~'", ShellQuote.quote("~"));
        assertEquals("'x\ny'", ShellQuote.quote("x\ny"));
    }

    @Test
    void quote_nulRejected() {
        assertThrows(IllegalArgumentException.class, () -> ShellQuote.quote("a\0b"));
    }

    @Test
    void join_emptyRejected() {
        assertThrows(IllegalArgumentException.class, () -> ShellQuote.join(List.of()));
    }

    @Test
    void join_shellSplitsBackExactly() throws Exception {
        // printf prints each argument between '[' and ']\n'-free markers; sh does the splitting
        List<String> argv = new ArrayList<>(List.of("printf", "<%s>"));
        argv.addAll(NASTY);
        Process p = new ProcessBuilder("/bin/sh", "-c", ShellQuote.join(argv)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        StringBuilder expected = new StringBuilder();
        NASTY.forEach(a -> expected.append('<').append(a).append('>'));
        assertEquals(expected.toString(), out);
    }

    @Test
    void join_assignmentLikeFirstWordIsACommand() throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", ShellQuote.join(List.of("A=B", "x"))).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(127, p.waitFor(), "A=B must be looked up as a command, not taken as an assignment: " + err);
    }
}
