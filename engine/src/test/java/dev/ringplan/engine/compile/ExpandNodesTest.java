package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ExpandNodes}: one node and vertex per (task, kept target host), rescue nodes with their rescue. */
class ExpandNodesTest {

    @Test
    void apply_nodesPerLimitedHost_blockVarsWhensAndTagsMerged_noEdges() throws Exception {
        CompileState s = PassFixture.before(ExpandNodes.class, """
                hosts: cassandra
                tasks:
                  - id: grp
                    when: "a is defined"
                    vars: { v: outer, w: 1 }
                    tags: [maint]
                    block:
                      - id: inner
                        when: "w == 1"
                        vars: { v: inner }
                        tags: [x]
                        fake: "{{ v }}"
                """, new CompileOptions(Map.of(), "h1:h3", List.of()));
        assertEquals(List.of(), PassFixture.apply(new ExpandNodes(), s));
        assertEquals(List.of("inner[h1]", "inner[h3]"), s.nodes.stream().map(TaskNode::name).toList());
        TaskNode n = s.nodes.get(0);
        assertEquals(Map.of("v", "inner", "w", 1), n.vars());
        assertEquals(List.of("a is defined", "w == 1"), n.whens());
        assertEquals(List.of("maint", "x"), n.tags());
        assertEquals(Map.of("msg", "{{ v }}"), n.args());
        assertEquals(TaskNode.Kind.TASK, n.kind());
        assertEquals(s.nodes, s.nodesByTask.get("inner"));
        assertEquals(2, s.graph.size());
        assertEquals(0, s.graph.edgeCount(), "edges are the next passes' job");
    }

    @Test
    void apply_rescueTasks_areRescueNodesOnlyWhereTheBlockHasNodes() throws Exception {
        CompileState s = PassFixture.before(ExpandNodes.class, """
                hosts: cassandra
                tasks:
                  - id: b
                    block:
                      - id: work
                        hosts: h1:h2
                        fake: w
                      - id: more
                        hosts: h2
                        fake: m
                    rescue:
                      - id: undo
                        fake: u
                """);
        PassFixture.apply(new ExpandNodes(), s);
        assertEquals(List.of("work[h1]", "work[h2]", "more[h2]", "undo[h1]", "undo[h2]"),
                s.nodes.stream().map(TaskNode::name).toList(), "no undo on h3: the block has no node there");
        TaskNode undo2 = s.graph.payload("undo[h2]");
        assertEquals(TaskNode.Kind.RESCUE, undo2.kind());
        assertEquals(new Rescue(s.tasksById.get("b"), "h2", List.of("work[h2]", "more[h2]")), undo2.rescue());
        assertEquals("b", undo2.rescuedBlock().id());
        assertNull(s.graph.payload("work[h2]").rescue());
    }
}
