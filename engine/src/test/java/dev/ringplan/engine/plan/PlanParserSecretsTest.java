package dev.ringplan.engine.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.diag.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan keys about secrets: a task's {@code no_log} and the plan's {@code vars_secret}. */
class PlanParserSecretsTest {
    @Test
    void parse_noLogAndVarsSecret() throws Exception {
        Plan p = PlanParser.parse("plan.yaml", """
                hosts: all
                vars_secret: [conn, cluster_creds]
                tasks:
                  - id: a
                    command: echo
                    no_log: true
                  - id: b
                    command: echo
                  - id: blk
                    no_log: yes
                    block:
                      - id: c
                        command: echo
                """);
        assertEquals(List.of("conn", "cluster_creds"), p.varsSecret());
        assertTrue(p.tasks().get(0).noLog());
        assertFalse(p.tasks().get(1).noLog());
        assertTrue(p.tasks().get(2).noLog());
        assertFalse(p.tasks().get(2).block().get(0).noLog(), "inherited at run time (Secrets.noLog), not copied");
    }

    @Test
    void parse_badNoLogAndVarsSecretAreLocated() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PlanParser.parse("plan.yaml", """
                hosts: all
                vars_secret: [ok_name, "not a name"]
                tasks:
                  - id: a
                    command: echo
                    no_log: sometimes
                """));
        String msg = e.getMessage();
        assertTrue(msg.contains("plan.yaml:2:24: error: 'vars_secret' items must be variable names"), msg);
        assertTrue(msg.contains("plan.yaml:6:13: error: 'no_log' must be true or false"), msg);
        InvalidInputException notList = assertThrows(InvalidInputException.class, () -> PlanParser.parse("plan.yaml", """
                vars_secret: conn
                tasks: []
                """));
        assertTrue(notList.getMessage().contains("plan.yaml:1:14: error: 'vars_secret' must be a list of variable names"),
                notList.getMessage());
    }
}
