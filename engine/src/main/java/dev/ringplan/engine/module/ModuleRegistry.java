package dev.ringplan.engine.module;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The modules available to plans, by name, found with {@link ServiceLoader}. */
public final class ModuleRegistry {
    private final Map<String, Module> modules;

    /** A registry of exactly {@code modules}. */
    public ModuleRegistry(Iterable<Module> modules) {
        Map<String, Module> m = new TreeMap<>();
        for (Module mod : modules) {
            Module prev = m.put(mod.name(), mod);
            if (prev != null) {
                throw new IllegalStateException("two modules named " + mod.name() + ": "
                        + prev.getClass().getName() + ", " + mod.getClass().getName());
            }
        }
        this.modules = Collections.unmodifiableMap(m);
    }

    /** Every module on the class path. */
    public static ModuleRegistry load() {
        return new ModuleRegistry(ServiceLoader.load(Module.class));
    }

    /** The module named {@code name}. */
    public Optional<Module> find(String name) {
        return Optional.ofNullable(modules.get(name));
    }

    /** All modules by name, sorted. */
    public Map<String, Module> all() {
        return modules;
    }
}
