package dev.ringplan.modules.nodetool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes every nodetool output parser with jqwik (bounded tries): real outputs from the fixture
 * corpus with random line drops, duplications and character edits, and random text. Whatever the
 * output, a parser returns or throws {@link NodetoolParseException}, nothing else.
 */
class NodetoolParserFuzzTest {
    /**
     * The normal build fuzzes from a fixed seed, so a build is repeatable and a red one is a
     * regression, not a new finding. To explore, run this class with another seed here (or "" for
     * a random one and more tries), and keep each input it finds as an example test.
     */
    static final String FUZZ_SEED = "20261202";

    interface Parser {
        Object parse(String s) throws NodetoolParseException;
    }

    static final List<Parser> PARSERS = List.of(StatusParser::parse, RingParser::parse, DescribeRingParser::parse,
            DescribeClusterParser::parse, InfoParser::parse, ListSnapshotsParser::parse, CompactionStatsParser::parse,
            NetstatsParser::parse, StreamThroughput::parse, RebuildRefusal::parse,
            DescribeRingParser::endpointDatacenters);

    static final List<String> FIXTURES = fixtures();

    private static List<String> fixtures() {
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/nodetool"))) {
            return s.filter(p -> p.toString().endsWith(".txt")).sorted().map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<String> mutatedOutput() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().withChars("UDNLJM?%,. :-=[]()/\t\n0123456789abcdefKMGTPiB".toCharArray()).ofMaxLength(8),
                Arbitraries.of("?", "%", "NaN", "-1", "99999999999999999999999999", "1,5", "\n", "", " ", "::1",
                        "Datacenter: ", "UN ", "Token", "=====", "Snapshot Details: ", "There are no snapshots",
                        "Address", "Load", "Owns (effective)", "Host ID", "Rack", "Schema versions:", "TokenRange(",
                        "pending tasks", "- ks.t: ", "compaction type", "Mode: ", "Receiving ", " files, ",
                        "Fully available: [", "(1,2]", "Current stream throughput: "));
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 100_000),
                Arbitraries.integers().between(0, 40)).as((at, del) -> new int[] {at, del});
        Arbitrary<String> fixture = Arbitraries.of(FIXTURES);
        return Combinators.combine(fixture, edit.list().ofMinSize(1).ofMaxSize(5), piece.list().ofSize(5),
                Arbitraries.integers().between(0, 3)).as((base, edits, pieces, lineOp) -> {
            StringBuilder sb = new StringBuilder(base);
            for (int i = 0; i < edits.size(); i++) {
                int at = sb.length() == 0 ? 0 : edits.get(i)[0] % (sb.length() + 1);
                int end = Math.min(at + edits.get(i)[1], sb.length());
                sb.replace(at, end, pieces.get(i));
            }
            String out = sb.toString();
            if (lineOp == 1) {
                List<String> lines = out.lines().toList();
                out = String.join("\n", lines.subList(0, lines.size() / 2));
            } else if (lineOp == 2) {
                out = out + "\n" + out;
            }
            return out;
        });
    }

    /** Found by the property below (ArithmeticException from a load that does not fit a long). */
    @Example
    void ring_loadBeyondLong_isNodetoolParseException() {
        String out = """
                Datacenter: datacenter1
                ==========
                Address    Rack        Status State   Load            Owns                Token
                                                                                          3074457345618258602
                127.0.0.1  rack1       Up     Normal  14,93 MB        33,33%              -9223372036854775808
                127.0.0.2  rack1       Up     Normal  9999999999999999999999999914,87 MB        33,33%              -3074457345618258603
                """;
        parseAll(out);
        try {
            RingParser.parse(out);
            throw new AssertionError("a load beyond 2^63 bytes was accepted");
        } catch (NodetoolParseException e) {
            if (!e.getMessage().contains("larger than 2^63 bytes")) {
                throw new AssertionError(e.getMessage(), e);
            }
        }
    }

    @Property(tries = 1000, seed = FUZZ_SEED)
    void parsers_mutatedRealOutput_onlyNodetoolParseException(@ForAll("mutatedOutput") String output) {
        parseAll(output);
    }

    @Property(tries = 300, seed = FUZZ_SEED)
    void parsers_randomText_onlyNodetoolParseException(@ForAll String output) {
        parseAll(output);
    }

    static void parseAll(String output) {
        for (Parser p : PARSERS) {
            try {
                p.parse(output);
            } catch (NodetoolParseException e) {
                if (e.getMessage() == null || e.getMessage().isBlank()) {
                    throw new AssertionError("NodetoolParseException without a message", e);
                }
            }
        }
    }
}
