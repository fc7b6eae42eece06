package dev.ringplan.engine.module;

/**
 * A module whose declarations are fixed values: its name, documentation, argument spec and what
 * it registers, given once to the constructor. Subclasses implement {@link #check} and
 * {@link #apply} (and {@link #isReadOnly} when it applies), and keep a public no-argument
 * constructor for {@link java.util.ServiceLoader}.
 */
public abstract class DeclaredModule implements Module {
    private final String name;
    private final ModuleDoc doc;
    private final ArgSpec argSpec;
    private final ReturnSpec returns;

    /**
     * @param name    the name tasks use ({@code nodetool}, {@code tar})
     * @param doc     what {@code ringplan modules NAME} prints
     * @param argSpec the arguments it accepts
     * @param returns what it registers, the same in check mode and run
     */
    protected DeclaredModule(String name, ModuleDoc doc, ArgSpec argSpec, ReturnSpec returns) {
        this.name = name;
        this.doc = doc;
        this.argSpec = argSpec;
        this.returns = returns;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final ModuleDoc doc() {
        return doc;
    }

    @Override
    public final ArgSpec argSpec() {
        return argSpec;
    }

    @Override
    public final ReturnSpec returns() {
        return returns;
    }
}
