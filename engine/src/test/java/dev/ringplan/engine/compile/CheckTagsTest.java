package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link CheckTags}: tags named on the command line must exist in the plan. */
class CheckTagsTest {
    private static final String PLAN = """
            hosts: cassandra
            tasks:
              - id: a
                tags: [maint]
                fake: a
            """;

    @Test
    void apply_unknownTags_reportedAtTheOption_specialWordsAccepted() throws Exception {
        CompileState s = PassFixture.before(CheckTags.class, PLAN,
                new CompileOptions(Map.of(), null, List.of("maintt", "all", "tagged"), Map.of(), List.of("untagged", "x")));
        assertEquals(List.of(
                "--skip-tags: error: unknown tag 'x': no task of the plan carries it\n    the plan's tags: maint",
                "--tags: error: unknown tag 'maintt': no task of the plan carries it\n"
                        + "    did you mean 'maint'?; the plan's tags: maint"),
                PassFixture.apply(new CheckTags(), s));
    }

    @Test
    void apply_knownTags_reportNothing() throws Exception {
        CompileState s = PassFixture.before(CheckTags.class, PLAN,
                new CompileOptions(Map.of(), null, List.of("maint", " "), Map.of(), List.of("all")));
        assertEquals(List.of(), PassFixture.apply(new CheckTags(), s));
    }
}
