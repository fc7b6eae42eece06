package dev.ringplan.engine.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code lookup('env', NAME)} as Ansible's env lookup, except that an unset variable is an error. */
class LookupsTest {
    private final Templater t = new Templater();

    @AfterEach
    void restore() {
        Lookups.environment(null);
    }

    @Test
    void lookup_env_readsTheControllersEnvironment() throws Exception {
        Lookups.environment(Map.of("DB_PW", "from-env-1", "USER_X", "u"));
        assertEquals("from-env-1", t.render("{{ lookup('env', 'DB_PW') }}", Map.of()));
        assertEquals("-pfrom-env-1", t.render("-p{{ lookup('ansible.builtin.env', 'DB_PW') }}", Map.of()));
        assertEquals("from-env-1,u", t.render("{{ lookup('env', 'DB_PW', 'USER_X') }}", Map.of()));
    }

    @Test
    void lookup_env_realProcessEnvironment() throws Exception {
        String path = System.getenv("PATH");
        assertEquals(path, t.render("{{ lookup('env', 'PATH') }}", Map.of()));
    }

    @Test
    void lookup_env_unsetIsAnErrorNamingIt() {
        Lookups.environment(Map.of());
        TemplateException e = assertThrows(TemplateException.class,
                () -> t.render("{{ lookup('env', 'NO_SUCH_VAR_42') }}", Map.of()));
        assertTrue(e.getMessage().contains("NO_SUCH_VAR_42") && e.getMessage().contains("not set"), e.getMessage());
    }

    @Test
    void lookup_otherPluginsRefused() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> t.render("{{ lookup('file', '/etc/passwd') }}", Map.of()));
        assertTrue(e.getMessage().contains("lookup plugin 'file' is not supported"), e.getMessage());
    }

    @Test
    void problems_lookupIsAKnownFunctionForValidate() {
        // validate checks every template statically: the lookup function must be known there too.
        assertEquals(java.util.List.of(), new Templater().problems("{{ lookup('env', 'HOME') }}", false));
        assertEquals(java.util.List.of(), new Templater().problems("lookup('env', 'HOME') == 'x'", true));
        assertTrue(new Templater().problems("{{ nosuch('x') }}", false).toString().contains("nosuch"),
                "an unknown function is still reported");
    }
}
