package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AddSerialEdges}: rolling batches over a task's or a block's hosts. */
class AddSerialEdgesTest {

    @Test
    void apply_serialTwoOnATask_batchOfTwoThenTheRest() throws Exception {
        CompileState s = PassFixture.before(AddSerialEdges.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    serial: 2
                    fake: a
                """);
        assertEquals(List.of(), PassFixture.apply(new AddSerialEdges(), s));
        assertEquals(List.of("a[h1] -> a[h3]", "a[h2] -> a[h3]"), PassFixture.edges(s));
    }

    @Test
    void apply_serialOneOnABlockWithRescue_eachHostWaitsForTheWholeBlockOnThePrevious() throws Exception {
        CompileState s = PassFixture.before(AddSerialEdges.class, """
                hosts: h1:h2
                tasks:
                  - id: rolling
                    serial: 1
                    block:
                      - id: stop
                        fake: stop
                    rescue:
                      - id: undo
                        fake: undo
                """);
        List<String> before = PassFixture.edges(s);
        PassFixture.apply(new AddSerialEdges(), s);
        List<String> added = PassFixture.edges(s).stream().filter(e -> !before.contains(e)).toList();
        assertEquals(List.of("stop[h1] -> stop[h2]", "stop[h1] -> undo[h2]", "undo[h1] -> stop[h2]", "undo[h1] -> undo[h2]"),
                added);
    }
}
