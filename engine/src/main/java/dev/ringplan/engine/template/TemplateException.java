package dev.ringplan.engine.template;

import dev.ringplan.engine.diag.RingplanException;
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

    /**
     * @param message       what went wrong, for the user
     * @param template      the template text that failed
     * @param undefinedName the undefined variable (or path such as {@code hostvars['n2']}),
     *                      null when the failure is of another kind
     * @param cause         the engine's exception, may be null
     */
    public TemplateException(String message, String template, String undefinedName, Throwable cause) {
        super(message, cause);
        this.template = template;
        this.undefinedName = undefinedName;
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
