package dev.ringplan.engine.module;

/**
 * A module's documentation, like Ansible's DOCUMENTATION / EXAMPLES / RETURN.
 *
 * @param summary     one line
 * @param description paragraphs: what it does, idempotency, guards, sources of formats parsed
 * @param examples    YAML task examples
 * @param returns     what {@code register} exposes, key by key
 */
public record ModuleDoc(String summary, String description, String examples, String returns) {
}
