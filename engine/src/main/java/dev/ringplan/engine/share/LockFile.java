package dev.ringplan.engine.share;

import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.yaml.SafeYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code ringplan.lock}, beside the plans it pins (one per directory, shared by its plans, like a
 * {@code go.sum}): for every git repository and ref that an import names, the commit it resolved
 * to when {@code ringplan deps lock} or {@code deps update} ran. YAML:
 *
 * <pre>
 * # ringplan.lock: commits of the git imports of the plans in this directory.
 * version: 1
 * pins:
 *   - repo: https://git.example.com/ops/shared-tasks.git
 *     ref: v1.4
 *     commit: 4f3c2d...
 * </pre>
 *
 * A pin is keyed by repository URL and ref; a JSON file of the same shape is read as well.
 */
public final class LockFile {
    /** The file name. */
    public static final String NAME = "ringplan.lock";
    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");

    /**
     * One pinned ref.
     *
     * @param repo   repository URL (without {@code git+})
     * @param ref    tag, branch or commit as the import writes it; {@code HEAD} when it writes none
     * @param commit the commit it resolved to
     */
    public record Pin(String repo, String ref, String commit) {
        String key() {
            return repo + "\n" + ref;
        }
    }

    private final Map<String, Pin> pins = new TreeMap<>();

    /** An empty lock. */
    public LockFile() {
    }

    /** The pin of {@code repo} at {@code ref}, or null. */
    public Pin pin(String repo, String ref) {
        return pins.get(repo + "\n" + ref);
    }

    /** Adds or replaces a pin. */
    public void put(Pin p) {
        pins.put(p.key(), p);
    }

    /** Every pin, by repository then ref. */
    public List<Pin> pins() {
        return List.copyOf(pins.values());
    }

    /**
     * Reads {@code text} of the lock file {@code file}.
     *
     * @throws InvalidInputException with file:line:column of what is malformed
     */
    public static LockFile parse(String file, String text) throws InvalidInputException {
        LockFile lock = new LockFile();
        Object root = SafeYaml.toJava(SafeYaml.compose(file, text));
        if (!(root instanceof Map<?, ?> m) || !(m.get("pins") instanceof List<?> list)) {
            throw new InvalidInputException(SourcePos.ofFile(file), "a lock file is a mapping with 'version: 1' and"
                    + " 'pins': a list of {repo, ref, commit}; write it with 'ringplan deps lock PLAN'");
        }
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> p) || !(p.get("repo") instanceof String repo) || !(p.get("ref") instanceof String ref)
                    || !(p.get("commit") instanceof String commit) || !SHA1.matcher(commit).matches()) {
                throw new InvalidInputException(SourcePos.ofFile(file), "malformed pin " + o
                        + ": expected {repo, ref, commit: 40 hex digits}; write it with 'ringplan deps lock PLAN'");
            }
            lock.put(new Pin(repo, ref, commit));
        }
        return lock;
    }

    /** Reads {@code file}; an absent file is an empty lock. */
    public static LockFile read(Path file) throws InvalidInputException {
        if (!Files.exists(file)) {
            return new LockFile();
        }
        return parse(file.toString(), SafeYaml.readUtf8(file, "lock file"));
    }

    /** The YAML text of this lock. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(NAME).append(": the commits of the git imports of the plans in this directory.\n")
                .append("# Written by 'ringplan deps lock PLAN'; 'ringplan deps update PLAN [NAME]' moves a pin. Commit it.\n")
                .append("version: 1\n")
                .append("pins:").append(pins.isEmpty() ? " []\n" : "\n");
        for (Pin p : pins.values()) {
            sb.append("  - repo: ").append(quote(p.repo())).append('\n')
                    .append("    ref: ").append(quote(p.ref())).append('\n')
                    .append("    commit: ").append(p.commit()).append('\n');
        }
        return sb.toString();
    }

    /** Writes {@link #text()} to {@code file} (through a temporary file, then a rename). */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text(), StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** For messages. */
    @Override
    public String toString() {
        return new ArrayList<>(pins.values()).toString();
    }
}
