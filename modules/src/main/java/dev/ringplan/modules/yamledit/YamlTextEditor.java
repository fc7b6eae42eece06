package dev.ringplan.modules.yamledit;

import dev.ringplan.engine.yaml.SafeYaml;
import java.util.List;
import java.util.Objects;
import org.yaml.snakeyaml.error.Mark;

/**
 * Edits a YAML document as text, keeping every byte that the edit does not need to touch:
 * comments, blank lines, key order, indentation, quoting and line endings (it edits text; it
 * does not re-dump the document).
 *
 * <p>How: the text is composed with {@link SafeYaml} (snakeyaml), whose nodes carry start and
 * end {@link Mark}s; a mark's index counts Unicode code points from the start of the text (not
 * UTF-16 chars, not bytes), so indexes are mapped to {@link String} indexes before use, which
 * matters for characters outside the BMP (surrogate pairs). Each operation is one text splice:
 * <ul>
 * <li>set, key exists: the span of the old value is replaced by the new value rendered with
 *     {@link YamlRender} (a string replacing a quoted string keeps its quotes; a list or
 *     mapping replacing a flow collection is written in flow style, otherwise in block style
 *     indented like the old value).</li>
 * <li>set, key missing in an existing block mapping: a commented-out example of the key at the
 *     siblings' indentation ({@code # initial_token:}) found between the mapping's entries or
 *     in the comment lines right after its last entry is replaced by the new entry; otherwise the
 *     entry is inserted after the mapping's last entry, at its siblings' indentation. Missing
 *     intermediate mappings and lists (index 0, or an index equal to a list's size, which
 *     appends) are created.</li>
 * <li>delete: the lines of the entry (key line through the last line of its value) are
 *     removed; the last entry of a collection leaves {@code {}} / {@code []}.</li>
 * </ul>
 * The result of each operation is composed again before the next. At the end the result's data
 * is compared with the original data with the edits applied in memory (full structural
 * comparison; integers compared by value whatever their Java type); any difference is a
 * {@link YamlEditException}, so a wrong splice can never be written.
 *
 * <p>Not handled (clear error rather than a guess): paths through aliases ({@code *name}) or to
 * anchored values, complex ({@code ?}) keys, several documents in one file, tags other than
 * YAML 1.1's standard ones.
 *
 * <p>This class runs the edit and its check; {@link YamlTextDoc} locates things in the text,
 * {@link YamlTextEdits} does the splices (writing values with {@link YamlRender}) and
 * {@link YamlData} the in-memory side.
 */
public final class YamlTextEditor {

    /** One edit: set a path to a value, or delete it. */
    public sealed interface Op permits SetOp, DeleteOp {
        /** The path edited. */
        YamlPath path();
    }

    /**
     * Sets {@code path} to {@code value} (String, Boolean, Integer/Long/BigInteger, Double,
     * null, List, Map of those), creating missing keys.
     */
    public record SetOp(YamlPath path, Object value) implements Op {
    }

    /** Removes {@code path}; nothing when it is absent. */
    public record DeleteOp(YamlPath path) implements Op {
    }

    /**
     * The outcome of {@link #edit}.
     *
     * @param text    the edited text (identical to the input when nothing changed)
     * @param changed true when the data changed (then the text changed too)
     * @param before  the document's data before, normalised (see {@link #normalize})
     * @param after   the data after, normalised
     */
    public record Outcome(String text, boolean changed, Object before, Object after) {
    }

    private YamlTextEditor() {
    }

    /**
     * Applies {@code ops} in order to {@code text}.
     *
     * @param name a name for the text in messages (the file path)
     * @param text the YAML text, without a byte order mark; line breaks LF or CRLF
     * @throws YamlEditException when the text is not valid YAML, a path cannot be followed, or
     *                           the result would not re-parse to the intended data
     */
    public static Outcome edit(String name, String text, List<Op> ops) throws YamlEditException {
        YamlTextDoc doc = YamlTextDoc.parse(name, text);
        Object before = normalize(doc.data());
        Object expected = YamlData.deepCopy(before);
        for (Op op : ops) {
            if (op instanceof SetOp s) {
                expected = YamlData.set(expected, s.path(), normalize(s.value()));
            } else {
                expected = YamlData.delete(expected, op.path());
            }
        }
        if (Objects.equals(YamlData.emptyAsNull(before), YamlData.emptyAsNull(expected))) {
            return new Outcome(text, false, before, before);
        }
        String cur = text;
        for (Op op : ops) {
            YamlTextEdits d = new YamlTextEdits(YamlTextDoc.parse(name, cur));
            String next = op instanceof SetOp s ? d.set(s.path(), s.value()) : d.delete(op.path());
            cur = next;
        }
        YamlTextDoc result;
        try {
            result = YamlTextDoc.parse(name, cur);
        } catch (YamlEditException e) {
            throw new YamlEditException(name + ": the edited text would not be valid YAML (" + e.getMessage()
                    + "); nothing written", e);
        }
        Object after = normalize(result.data());
        String diff = YamlData.firstDifference("", YamlData.emptyAsNull(expected), YamlData.emptyAsNull(after));
        if (diff != null) {
            throw new YamlEditException(name + ": the edited text would not read back as intended (" + diff
                    + "); nothing written. Edit the file by hand or set a whole parent value instead.");
        }
        return new Outcome(cur, !cur.equals(text), before, after);
    }

    /**
     * A value in a comparable form: integers as {@link Long} (or {@link java.math.BigInteger} when
     * too large), floats as {@link Double}, binary as a {@code binary:<base64>} string, maps with
     * string keys (as {@link java.util.LinkedHashMap}), lists as {@link java.util.ArrayList}.
     */
    public static Object normalize(Object v) {
        return YamlData.normalize(v);
    }
}
