package dev.ringplan.engine.template;

import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.Map;
import java.util.function.Function;

/**
 * Ansible's {@code lookup(...)} template function, for the one lookup plans need:
 * {@code lookup('env', 'NAME')}, the value of the controller's environment variable NAME (as
 * Ansible's {@code ansible.builtin.env} lookup; several names give their values joined by commas,
 * as Ansible's {@code lookup} joins a list). Unlike Ansible, which returns an empty string, an
 * unset variable is an error naming it: Ringplan never runs on a missing value. Other lookup
 * plugins are refused by name. A value read from the environment is masked in outputs when the
 * variable it is assigned to is secret by name or marked ({@code vars_secret}); see
 * {@code dev.ringplan.engine.secret.Secrets}.
 */
public final class Lookups {
    private static volatile Function<String, String> environment = System::getenv;

    private Lookups() {
    }

    /** The definition registered in the templater's global context. */
    static ELFunctionDefinition definition() {
        return new ELFunctionDefinition("", "lookup", Lookups.class, "lookup", String.class, Object[].class);
    }

    /**
     * {@code lookup(kind, terms...)}.
     *
     * @throws RuntimeException for a plugin other than {@code env}, no name, or an unset variable
     *                          (the message names the plugin or the variable; the templater
     *                          turns it into a {@link TemplateException})
     */
    public static String lookup(String kind, Object... terms) {
        if (!"env".equals(kind) && !"ansible.builtin.env".equals(kind)) {
            throw new AnsibleFilters.FilterFailure("lookup plugin '" + kind + "' is not supported (only 'env')", null);
        }
        if (terms == null || terms.length == 0) {
            throw new AnsibleFilters.FilterFailure("lookup('env', NAME): give the environment variable's name", null);
        }
        StringBuilder sb = new StringBuilder();
        for (Object t : terms) {
            String name = String.valueOf(t);
            String v = environment.apply(name);
            if (v == null) {
                throw new AnsibleFilters.FilterFailure("environment variable '" + name + "' is not set (lookup('env', '"
                        + name + "'))", null);
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(v);
        }
        return sb.toString();
    }

    /** Replaces the environment lookups read (tests); {@code null} restores the process environment. */
    static void environment(Map<String, String> env) {
        environment = env == null ? System::getenv : env::get;
    }
}
