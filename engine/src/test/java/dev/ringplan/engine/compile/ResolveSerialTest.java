package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ringplan.engine.template.Templater;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ResolveSerial}: batch sizes, literal or rendered with plan and extra variables. */
class ResolveSerialTest {

    @Test
    void apply_literalAndTemplated_decided_falseMeansNoBatching() throws Exception {
        CompileState s = PassFixture.before(ResolveSerial.class, """
                hosts: cassandra
                vars: { rolling: true }
                tasks:
                  - id: a
                    serial: 2
                    fake: a
                  - id: b
                    serial: "{{ 1 if rolling else 0 }}"
                    fake: b
                  - id: c
                    serial: "{{ width }}"
                    fake: c
                  - id: d
                    serial: "{{ 0 }}"
                    fake: d
                """, new CompileOptions(Map.of("width", "3"), null, List.of()));
        assertEquals(List.of(), PassFixture.apply(new ResolveSerial(Templater.shared()), s));
        assertEquals(Map.of("a", 2, "b", 1, "c", 3), s.serials);
    }

    @Test
    void apply_notAnInteger_reportedAtTheTask() throws Exception {
        CompileState s = PassFixture.before(ResolveSerial.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    serial: "{{ 'two' }}"
                    fake: a
                """);
        assertEquals(List.of("plan.yaml:3:5: error: task 'a': serial rendered to 'For input string: \"two\"',"
                        + " expected a positive integer, one of topology, rack, dc (or 0/false for no batching)"),
                PassFixture.apply(new ResolveSerial(Templater.shared()), s));
        assertEquals(Map.of(), s.serials);
    }

    @Test
    void apply_templateRenderingAStrategyWord_keptForTheRunAndKeyspacesCheckedAgainstIt() throws Exception {
        CompileState s = PassFixture.before(ResolveSerial.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    serial: "{{ how }}"
                    fake: a
                  - id: b
                    serial: "{{ 'rack' }}"
                    keyspaces: [shop]
                    fake: b
                """, new CompileOptions(Map.of("how", "topology"), null, List.of()));
        assertEquals(List.of("plan.yaml:6:5: error: task 'b': 'keyspaces' belongs to 'serial: topology', and serial"
                + " '{{ 'rack' }}' rendered to something else"), PassFixture.apply(new ResolveSerial(Templater.shared()), s));
        assertEquals(Map.of("a", "topology", "b", "rack"), s.serialWords);
        assertEquals(Map.of(), s.serials);
    }
}
