package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input corpus ({@code src/test/resources/hostile/}): YAML bombs, too-deep nesting,
 * invalid UTF-8, control characters, tabs, duplicate keys, foreign tags, wrong types, empty
 * files. Each one, given to {@code ringplan validate} in-process, must be refused with exit 2
 * and a message at {@code file:line:column} (the position {@code expected.tsv} names, plus a
 * phrase of the message), never a stack trace. Oversized files are generated here (4 MiB is
 * too big to keep in the repository).
 */
class HostileInputCorpusTest {
    private static final AtomicInteger REFUSED = new AtomicInteger();
    private static final Path DIR = resources();

    @TempDir
    Path tmp;

    private static Path resources() {
        try {
            return Path.of(HostileInputCorpusTest.class.getResource("/hostile/expected.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }


    static Cli.Run validate(String plan, String inventory) {
        return Cli.inProcess("validate", plan, "-i", inventory);
    }

    static Stream<Arguments> corpus() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve("expected.tsv"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            out.add(Arguments.of(f[0], f[1], f.length > 2 ? f[2] : ""));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void validate_hostileInput_refusedWithExit2AtItsPosition(String file, String position, String phrase) {
        Path path = DIR.resolve(file);
        assertTrue(Files.isRegularFile(path), "missing corpus file " + path);
        Cli.Run r = file.startsWith("plans/")
                ? validate(path.toString(), DIR.resolve("inventory.yaml").toString())
                : validate(DIR.resolve("plan.yaml").toString(), path.toString());
        assertLocated(r, path + ":" + position + ": error: ", phrase);
    }

    @Test
    void corpus_coversEveryFileAndAtLeastSixtyInputs() throws IOException {
        Set<String> listed = new TreeSet<>();
        corpus().forEach(a -> listed.add((String) a.get()[0]));
        Set<String> onDisk = new TreeSet<>();
        for (String sub : List.of("plans", "inventories")) {
            try (Stream<Path> s = Files.list(DIR.resolve(sub))) {
                s.forEach(p -> onDisk.add(sub + "/" + p.getFileName()));
            }
        }
        assertEquals(onDisk, listed, "every corpus file has one expectation, and only those");
        assertTrue(listed.size() >= 60, "corpus has " + listed.size() + " inputs");
    }

    @Test
    void validate_oversizedPlan_refusedWhereTheLimitIsReached() throws IOException {
        Path plan = tmp.resolve("huge-plan.yaml");
        StringBuilder sb = new StringBuilder("tasks: []\n");
        String filler = "# " + "x".repeat(1022) + "\n"; // 1025 bytes per line
        while (sb.length() <= 4 * 1024 * 1024 + 10) {
            sb.append(filler);
        }
        Files.writeString(plan, sb, StandardCharsets.UTF_8);
        // 10 bytes of the first line, then 1025-byte lines: byte 4 MiB is on line 4093, column 1020
        assertLocated(validate(plan.toString(), DIR.resolve("inventory.yaml").toString()),
                plan + ":4093:1020: error: ", "larger than the 4194304 bytes (4 MiB) accepted");
    }

    @Test
    void validate_oversizedInventory_refusedWhereTheLimitIsReached() throws IOException {
        Path inv = tmp.resolve("huge-inventory.yaml");
        StringBuilder sb = new StringBuilder("all:\n  hosts:\n");
        int i = 0;
        while (sb.length() <= 4 * 1024 * 1024 + 100) {
            sb.append("    n").append(String.valueOf(10_000_000 + i++), 1, 8).append(": {}\n"); // n0000000: 17 bytes per host
        }
        Files.writeString(inv, sb, StandardCharsets.UTF_8);
        // 14 bytes of header, then 17-byte lines: byte 4 MiB is on line 246725, column 17
        assertLocated(validate(DIR.resolve("plan.yaml").toString(), inv.toString()),
                inv + ":246725:17: error: ", "inventory file is larger than");
    }

    private static void assertLocated(Cli.Run r, String where, String phrase) {
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.all());
        assertTrue(r.err().contains(where), "expected '" + where + "'\n" + r.all());
        int at = r.err().indexOf(where);
        String line = r.err().substring(at, r.err().indexOf('\n', at) < 0 ? r.err().length() : r.err().indexOf('\n', at));
        assertTrue(line.contains(phrase), "expected '" + phrase + "' in: " + line + "\n" + r.all());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.all());
        assertFalse(r.out().contains("\tat "), r.all());
        REFUSED.incrementAndGet();
    }

    @AfterAll
    static void printCount() {
        System.out.println("hostile inputs: " + REFUSED.get() + " refused, located");
    }
}
