package dev.ringplan.engine.module;

/**
 * A module's documentation, like Ansible's DOCUMENTATION / EXAMPLES. What {@code register}
 * exposes (Ansible's RETURN) is declared by {@link Module#returns()}, and the arguments and
 * their rules by {@link Module#argSpec()}.
 *
 * @param summary     one line
 * @param description paragraphs: what it does, idempotency, guards, sources of formats parsed
 * @param examples    YAML task examples
 */
public record ModuleDoc(String summary, String description, String examples) {
}
