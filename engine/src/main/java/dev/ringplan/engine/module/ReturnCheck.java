package dev.ringplan.engine.module;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a module's result data against its {@link ReturnSpec}: every key declared for the call,
 * of its declared type, and every key that is always present there. A mismatch is a bug in the
 * module (not in the plan); the executor fails the task with the problems named.
 */
public final class ReturnCheck {
    private ReturnCheck() {
    }

    /**
     * The problems of {@code data} against {@code spec} for a call with {@code args}; empty when
     * it conforms.
     *
     * @param mayBeNull true in check mode and for a preview's data: any value may be null
     *                  (known after apply, see {@link ReturnSpec})
     * @param failed    true for a failed result, which may lack keys
     */
    public static List<String> problems(ReturnSpec spec, Args args, Map<String, Object> data, boolean mayBeNull,
                                        boolean failed) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : data.entrySet()) {
            String k = e.getKey();
            List<ReturnSpec.Key> here = new ArrayList<>();
            List<ReturnSpec.Key> elsewhere = new ArrayList<>();
            for (ReturnSpec.Key d : spec.keys()) {
                if (d.namedBy() == null ? d.name().equals(k) : k.equals(d.nameIn(args))) {
                    (d.appliesTo(args) ? here : elsewhere).add(d);
                }
            }
            if (here.isEmpty() && spec.otherKeys() != null) {
                here.add(spec.otherKeys());
            }
            if (here.isEmpty()) {
                out.add(elsewhere.isEmpty() ? "registers '" + k + "', which it does not declare"
                        : "registers '" + k + "', declared only for " + elsewhere.get(0).scope());
                continue;
            }
            Object v = e.getValue();
            if (v == null) {
                if (!mayBeNull && here.stream().noneMatch(ReturnSpec.Key::isNullable)) {
                    out.add("registers '" + k + "' as null, declared " + here.get(0).type().label() + " (not nullable)");
                }
            } else if (here.stream().noneMatch(d -> d.type().accepts(v))) {
                out.add("registers '" + k + "' as " + v.getClass().getSimpleName() + ", declared "
                        + here.get(0).type().label());
            }
        }
        if (!failed) {
            for (ReturnSpec.Key d : spec.keys()) {
                String name = d.nameIn(args);
                if (d.when() == null && d.appliesTo(args) && name != null && !data.containsKey(name)) {
                    out.add("does not register '" + name + "', declared present"
                            + (d.only().isEmpty() ? " in every result" : " for " + d.scope()));
                }
            }
        }
        return out;
    }

    /**
     * Checks a result's data as {@link #problems} does.
     *
     * @throws ModuleException naming the module and every problem, as a module bug
     */
    public static void verify(Module module, Args args, Map<String, Object> data, boolean mayBeNull, boolean failed)
            throws ModuleException {
        List<String> p = problems(module.returns(), args, data, mayBeNull, failed);
        if (!p.isEmpty()) {
            throw new ModuleException("module " + module.name() + " broke its declared return values (a bug in the"
                    + " module, not in the plan): " + String.join("; ", p));
        }
    }
}
