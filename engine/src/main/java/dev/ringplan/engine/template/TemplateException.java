package dev.ringplan.engine.template;

import dev.ringplan.engine.diag.RingplanException;
import dev.ringplan.engine.diag.SourcePos;
import java.util.Optional;

/**
 * A template could not be rendered: an undefined variable, a syntax error, an unknown filter,
 * a filter given bad input. The message is meant for the user as is, for example
 * {@code 'tag' is undefined in "{{ tag }}"}.
 */
public class TemplateException extends RingplanException {
    private static final long serialVersionUID = 1L;

    private final String template;
    private final String undefinedName;
    private final SourcePos pos;

    /**
     * @param message       what went wrong, for the user
     * @param template      the template text that failed
     * @param undefinedName the undefined variable (or path such as {@code hostvars['n2']}),
     *                      null when the failure is of another kind
     * @param cause         the engine's exception, may be null
     */
    public TemplateException(String message, String template, String undefinedName, Throwable cause) {
        this(message, template, undefinedName, null, cause);
    }

    /**
     * @param message       what went wrong, for the user
     * @param template      the template text that failed
     * @param undefinedName the undefined variable, null when the failure is of another kind
     * @param pos           where the failing template is written (a variable's value in a plan
     *                      or inventory file), null when unknown
     * @param cause         the engine's exception, may be null
     */
    public TemplateException(String message, String template, String undefinedName, SourcePos pos, Throwable cause) {
        super(message, cause);
        this.template = template;
        this.undefinedName = undefinedName;
        this.pos = pos;
    }

    /**
     * Where the failing template is written, when known: for an undefined name met while
     * resolving a variable, the position of that variable's value (the template that refers to
     * the name).
     */
    public Optional<SourcePos> pos() {
        return Optional.ofNullable(pos);
    }

    /** The template text that failed. */
    public String template() {
        return template;
    }

    /**
     * The undefined variable or path ({@code tag}, {@code hostvars['n2']}) when the failure is
     * an undefined reference.
     */
    public Optional<String> undefinedName() {
        return Optional.ofNullable(undefinedName);
    }
}
