package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SelectTags}: the nodes --tags/--skip-tags keep, ordering kept through the others. */
class SelectTagsTest {
    private static final String PLAN = """
            hosts: h1
            tasks:
              - id: a
                tags: [x]
                fake: a
              - id: b
                needs: a
                fake: b
              - id: c
                needs: b
                tags: [x]
                fake: c
              - id: d
                tags: [always]
                fake: d
            """;

    @Test
    void apply_tags_keepsTaggedAndAlways_orderingThroughRemovedNodes() throws Exception {
        CompileState s = PassFixture.before(SelectTags.class, PLAN, new CompileOptions(Map.of(), null, List.of("x")));
        assertEquals(List.of(), PassFixture.apply(new SelectTags(), s));
        assertEquals(List.of("a[h1]", "c[h1]", "d[h1]"), s.nodes.stream().map(TaskNode::name).toList());
        assertEquals(List.of("a[h1] -> c[h1]"), PassFixture.edges(s));
    }

    @Test
    void apply_noTagOptions_keepsTheSameGraph() throws Exception {
        CompileState s = PassFixture.before(SelectTags.class, PLAN);
        var graph = s.graph;
        PassFixture.apply(new SelectTags(), s);
        assertEquals(4, s.nodes.size());
        assertSame(graph, s.graph);
    }
}
