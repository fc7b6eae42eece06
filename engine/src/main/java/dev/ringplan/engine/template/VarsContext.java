package dev.ringplan.engine.template;

import com.hubspot.jinjava.interpret.Context;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A context that reads the variables map on demand instead of copying it (Jinjava's own
 * copies every entry, which would render every {@link LazyVars} value). A name the template
 * uses only under a guard and whose value is undefined reads as undefined, so
 * {@code x | default('y')} works when {@code x} refers to an undefined name, as in Ansible.
 */
final class VarsContext extends Context {
    private final Map<String, ?> vars;
    private final Set<String> guarded;

    VarsContext(Context parent, Map<String, ?> vars, Set<String> guarded) {
        super(parent, Map.of());
        this.vars = vars;
        this.guarded = guarded;
    }

    @Override
    public Object get(Object key) {
        Object local = getScope().get(key);
        if (local != null) {
            return local;
        }
        if (key instanceof String name && vars.containsKey(name)) {
            Object v;
            if (vars instanceof LazyVars lazy) {
                try {
                    v = lazy.resolve(name);
                } catch (TemplateException e) {
                    if (guarded.contains(name) && e.undefinedName().isPresent()) {
                        return null;
                    }
                    LazyVars.Failure f = new LazyVars.Failure(e);
                    RenderFailures.note(f);
                    throw f;
                }
            } else {
                v = vars.get(name);
            }
            if (v != null) {
                return v;
            }
        }
        return getParent() == null ? null : getParent().get(key);
    }

    /** Whether the variables define {@code name} (its value may be null). */
    boolean defines(String name) {
        return vars.containsKey(name);
    }

    @Override
    public Set<String> keySet() {
        Set<String> keys = new HashSet<>(super.keySet());
        keys.addAll(vars.keySet());
        return keys;
    }
}
