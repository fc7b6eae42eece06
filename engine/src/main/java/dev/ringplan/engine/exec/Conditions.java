package dev.ringplan.engine.exec;

import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.template.LazyVars;
import dev.ringplan.engine.template.TemplateException;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.template.Truth;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluates a task's conditions ({@code when}, {@code until}, {@code changed_when},
 * {@code failed_when}) on a node's variables, read with the one truthiness rule ({@link Truth}).
 * Thread-safe.
 */
final class Conditions {
    private final Templater templater;

    /** Evaluating with {@code templater}. */
    Conditions(Templater templater) {
        this.templater = templater;
    }

    /**
     * Whether {@code expression} holds.
     *
     * @param keyword the condition's key, for the message ({@code "when"}, {@code "until"}, ...)
     * @throws TemplateException prefixed with the keyword, when it cannot be evaluated or its
     *                           result is not a boolean
     */
    boolean test(String keyword, String expression, Map<String, Object> vars) throws TemplateException {
        try {
            return templater.isTrue(expression, vars);
        } catch (TemplateException e) {
            throw new TemplateException(keyword + ": " + e.getMessage(), e.template(), e.undefinedName().orElse(null),
                    e.pos().orElse(null), e);
        }
    }

    /**
     * The node's variables plus {@code result} (and the task's register name) bound to
     * {@code data}: what {@code until}, {@code changed_when} and {@code failed_when} see.
     */
    static Map<String, Object> withResult(Map<String, Object> vars, TaskNode node, Map<String, Object> data) {
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("result", data);
        if (node.task().register() != null) {
            more.put(node.task().register(), data);
        }
        if (vars instanceof LazyVars lazy) {
            return lazy.withLiterals(more);
        }
        Map<String, Object> out = new LinkedHashMap<>(vars);
        out.putAll(more);
        return out;
    }
}
