package dev.ringplan.engine.yaml;

import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.diag.Diagnostic;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Safe YAML loading for plans and inventories: snakeyaml's composer (no arbitrary types: only
 * the standard tags of YAML 1.1, as PyYAML and so Ansible resolve them), duplicate keys refused,
 * alias expansion limited (billion-laughs), input size and nesting depth limited. Every error
 * carries {@code file:line:column}.
 *
 * <p>Plans and inventories are read as composed {@link Node}s so that each value keeps its
 * {@link Node#getStartMark() start mark}; {@link #toJava(Node)} turns a node into plain Java
 * values (String, Integer/Long/BigInteger, Double, Boolean, null, List, LinkedHashMap).
 */
public final class SafeYaml {
    /** Most aliases a document may use before it is refused. */
    public static final int MAX_ALIASES = 50;
    /** Largest document accepted, in code points (4 MiB). */
    public static final int MAX_CODE_POINTS = 4 * 1024 * 1024;
    /** Deepest nesting of collections accepted. */
    public static final int MAX_NESTING = 50;
    /** Largest file {@link #readUtf8} accepts, in bytes (4 MiB). */
    public static final long MAX_BYTES = 4L * 1024 * 1024;

    private SafeYaml() {
    }

    /** The loader options used everywhere: limits above, duplicate keys refused. */
    public static LoaderOptions options() {
        LoaderOptions o = new LoaderOptions();
        o.setAllowDuplicateKeys(false);
        o.setMaxAliasesForCollections(MAX_ALIASES);
        o.setCodePointLimit(MAX_CODE_POINTS);
        o.setNestingDepthLimit(MAX_NESTING);
        o.setAllowRecursiveKeys(false);
        o.setProcessComments(false);
        return o;
    }

    /**
     * Composes the single YAML document in {@code text}.
     *
     * @param file the file name used in error positions
     * @return the root node, or null for an empty document
     * @throws InvalidInputException on a syntax error or a tripped limit (aliases, nesting, size,
     *                               a character YAML does not allow), with the position where it
     *                               happened
     */
    public static Node compose(String file, String text) throws InvalidInputException {
        checkSize(file, text);
        LoaderOptions options = options();
        TrackingParser parser = new TrackingParser(new ParserImpl(new StreamReader(text), options));
        try {
            Node root = new Composer(parser, new Resolver(), options).getSingleNode();
            List<Diagnostic> bad = new ArrayList<>();
            checkTags(file, root, bad, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
            if (!bad.isEmpty()) {
                throw new InvalidInputException(bad);
            }
            return root;
        } catch (MarkedYAMLException e) {
            SourcePos pos = SourcePos.of(file, e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark());
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext();
            String summary = "YAML syntax error: " + problem.trim()
                    + (context != null ? " (" + context.trim() + ")" : "");
            if (context != null && context.contains("scanning an alias")) {
                // '*' starts an alias (*name) outside quotes: the usual cause is needs: [A[*]]
                throw new InvalidInputException(List.of(Diagnostic.error(pos, summary, "'*' starts a YAML alias (*name):"
                        + " quote a value that contains '*', e.g. needs: [\"A[*]\"] instead of needs: [A[*]]")));
            }
            throw new InvalidInputException(pos, summary);
        } catch (ReaderException e) {
            throw new InvalidInputException(positionOfCodePoint(file, text, e.getPosition()),
                    "character " + String.format("U+%04X", e.getCodePoint())
                            + " is not allowed in YAML (control characters other than tab and newline are refused)");
        } catch (YAMLException e) {
            throw new InvalidInputException(parser.lastPos(file), limitMessage(e.getMessage()));
        } catch (RuntimeException | StackOverflowError e) {
            throw new InvalidInputException(parser.lastPos(file), "YAML error: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + firstLine(e.getMessage()) : ""));
        }
    }

    /**
     * Reads {@code path} as UTF-8 text for {@code what} ("plan", "inventory", "vars file"),
     * refusing a file larger than {@link #MAX_BYTES} and a file that is not valid UTF-8 (with
     * the byte offset, line and column of the first bad byte).
     *
     * @throws InvalidInputException when the file is missing, unreadable, too large or not UTF-8
     */
    public static String readUtf8(Path path, String what) throws InvalidInputException {
        String name = path.toString();
        byte[] bytes;
        try (java.io.InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                int line = 1;
                int lineStart = 0;
                for (int i = 0; i < MAX_BYTES; i++) {
                    if (bytes[i] == '\n') {
                        line++;
                        lineStart = i + 1;
                    }
                }
                throw new InvalidInputException(new SourcePos(name, line, (int) MAX_BYTES - lineStart + 1), what
                        + " file is larger than the " + MAX_BYTES + " bytes (4 MiB) accepted (" + Files.size(path)
                        + " bytes); the limit is reached at byte offset " + MAX_BYTES + ", here");
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidInputException(SourcePos.ofFile(name), "cannot read " + what + ": file not found");
        } catch (IOException e) {
            throw new InvalidInputException(SourcePos.ofFile(name), "cannot read " + what + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : ""));
        }
        return decodeUtf8(name, bytes, what);
    }

    /**
     * Decodes {@code bytes} as UTF-8 (a leading byte order mark is dropped).
     *
     * @param file names the source in errors
     * @param what what the bytes are, for the message ("plan", "inventory")
     * @throws InvalidInputException at the first malformed byte: {@code file:line:column} (column
     *                               counted in bytes) plus the byte offset, or for a UTF-16/32 byte
     *                               order mark
     */
    public static String decodeUtf8(String file, byte[] bytes, String what) throws InvalidInputException {
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)
                || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
            throw new InvalidInputException(new SourcePos(file, 1, 1), what
                    + " file is not valid UTF-8: it starts with a UTF-16 byte order mark at byte offset 0; save it as UTF-8");
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = dec.decode(in, out, true);
        if (r.isError()) {
            int offset = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new InvalidInputException(new SourcePos(file, line, offset - lineStart + 1), what
                    + " file is not valid UTF-8: byte 0x" + String.format("%02X", bytes[offset] & 0xff)
                    + " at byte offset " + offset + " (line " + line + ") does not start a valid UTF-8 sequence;"
                    + " save the file as UTF-8");
        }
        dec.flush(out);
        out.flip();
        String s = out.toString();
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static void checkSize(String file, String text) throws InvalidInputException {
        if (text.length() <= MAX_CODE_POINTS || text.codePointCount(0, text.length()) <= MAX_CODE_POINTS) {
            return;
        }
        int end = text.offsetByCodePoints(0, MAX_CODE_POINTS);
        throw new InvalidInputException(positionOfChar(file, text, end), "YAML document is longer than the "
                + MAX_CODE_POINTS + " characters (4 Mi) accepted; the limit is reached here");
    }

    private static String limitMessage(String message) {
        String m = firstLine(message);
        if (m.startsWith("Number of aliases")) {
            return "too many aliases: more than " + MAX_ALIASES + " aliases to lists or mappings (a YAML bomb?);"
                    + " this is where the limit was reached";
        }
        if (m.startsWith("Nesting Depth exceeded")) {
            return "nesting too deep: more than " + MAX_NESTING + " levels of lists and mappings;"
                    + " this is the level where the limit was reached";
        }
        if (m.contains("exceeds the limit")) {
            return "YAML document is longer than the " + MAX_CODE_POINTS + " characters (4 Mi) accepted";
        }
        if (m.contains("ecursive")) {
            return "recursive alias: an anchor may not refer to itself here";
        }
        return "YAML error: " + m;
    }

    /** 1-based line and column of the code point at index {@code cp} of {@code text}. */
    private static SourcePos positionOfCodePoint(String file, String text, int cp) {
        int idx;
        try {
            idx = text.offsetByCodePoints(0, Math.max(0, cp));
        } catch (IndexOutOfBoundsException e) {
            idx = text.length();
        }
        return positionOfChar(file, text, idx);
    }

    private static SourcePos positionOfChar(String file, String text, int idx) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < idx && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new SourcePos(file, line, text.codePointCount(lineStart, Math.min(idx, text.length())) + 1);
    }

    /**
     * A parser that remembers the last event handed to the composer, so that the limits the
     * composer enforces without a position (aliases, nesting depth) can be located: the event
     * taken last is the alias or the collection start that tripped the limit.
     */
    private static final class TrackingParser implements Parser {
        private final Parser delegate;
        private Event last;

        TrackingParser(Parser delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return delegate.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return delegate.peekEvent();
        }

        @Override
        public Event getEvent() {
            last = delegate.getEvent();
            return last;
        }

        SourcePos lastPos(String file) {
            return last == null ? new SourcePos(file, 1, 1) : SourcePos.of(file, last.getStartMark());
        }
    }

    private static final java.util.Set<Tag> STANDARD_TAGS = java.util.Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL,
            Tag.NULL, Tag.SEQ, Tag.MAP, Tag.MERGE, Tag.TIMESTAMP, Tag.BINARY, Tag.SET, Tag.OMAP, Tag.PAIRS);

    /**
     * Refuses every tag but YAML 1.1's standard ones and Ansible's {@code !unsafe} (no
     * {@code !!java...}, no {@code !vault}), and duplicate keys in a mapping (snakeyaml checks
     * those only when constructing, and a composed node is never constructed whole).
     */
    private static void checkTags(String file, Node node, List<Diagnostic> bad, java.util.Set<Node> seen) {
        checkTags(file, node, bad, seen, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }

    /**
     * {@code onPath} holds the anchored collections from the root down to {@code node}: meeting one of
     * them again is a recursive structure ({@code &a [*a]}), which no plan needs and which would
     * make every later walk over the value endless.
     */
    private static void checkTags(String file, Node node, List<Diagnostic> bad, java.util.Set<Node> seen,
                                  java.util.Set<Node> onPath) {
        if (node == null) {
            return;
        }
        if (node.getAnchor() == null) {
            // only an anchored node can be met again (through an alias), or be its own ancestor
            checkNode(file, node, bad, seen, onPath);
            return;
        }
        if (onPath.contains(node)) {
            bad.add(Diagnostic.error(pos(file, node), "recursive alias: the " + kind(node).substring(kind(node).indexOf(' ') + 1)
                    + " anchored here contains an alias to itself"));
            return;
        }
        if (!seen.add(node)) {
            return;
        }
        onPath.add(node);
        try {
            checkNode(file, node, bad, seen, onPath);
        } finally {
            onPath.remove(node);
        }
    }

    private static void checkNode(String file, Node node, List<Diagnostic> bad, java.util.Set<Node> seen,
                                  java.util.Set<Node> onPath) {
        if (!STANDARD_TAGS.contains(node.getTag()) && !"!unsafe".equals(node.getTag().getValue())) {
            bad.add(Diagnostic.error(pos(file, node), "unsupported YAML tag '" + node.getTag().getValue()
                    + "': only plain YAML values (strings, numbers, booleans, lists, mappings) are accepted"));
        } else if (node instanceof ScalarNode s && STANDARD_TAGS.contains(s.getTag()) && !Tag.STR.equals(s.getTag())
                && !Tag.MERGE.equals(s.getTag())) {
            // construct now what later code would construct, so that a value its tag cannot
            // take (!!int abc, !!timestamp soon, !!binary %%) is refused here, located
            try {
                toJava(s);
            } catch (RuntimeException e) {
                bad.add(Diagnostic.error(pos(file, node), "'" + s.getValue() + "' is not a valid "
                        + s.getTag().getValue().replace(Tag.PREFIX, "!!") + " value"
                        + (e.getMessage() != null ? ": " + firstLine(e.getMessage()) : "")));
            }
        }
        if (node instanceof MappingNode m) {
            Map<String, Node> keys = new java.util.HashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && !Tag.MERGE.equals(k.getTag())) {
                    Node first = keys.putIfAbsent(k.getValue(), k);
                    if (first != null) {
                        SourcePos at = pos(file, k);
                        SourcePos was = pos(file, first);
                        bad.add(Diagnostic.error(at, "duplicate key '" + k.getValue() + "' at line " + at.line()
                                + ", first at line " + was.line() + " (" + was + "): a key may appear only once in a mapping"));
                    }
                }
                checkTags(file, t.getKeyNode(), bad, seen, onPath);
                checkTags(file, t.getValueNode(), bad, seen, onPath);
            }
        } else if (node instanceof org.yaml.snakeyaml.nodes.SequenceNode sq) {
            for (Node n : sq.getValue()) {
                checkTags(file, n, bad, seen, onPath);
            }
        }
    }

    /** Converts a composed node into plain Java values with YAML 1.1 safe types. */
    public static Object toJava(Node node) {
        if (node == null) {
            return null;
        }
        return new Converter().convert(node);
    }

    /** The position of {@code node} in {@code file}. */
    public static SourcePos pos(String file, Node node) {
        return node == null ? SourcePos.ofFile(file) : SourcePos.of(file, node.getStartMark());
    }

    /** A mapping node's entries by scalar key text, in document order (non-scalar keys skipped). */
    public static Map<String, NodeTuple> entries(MappingNode map) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s) {
                out.put(s.getValue(), t);
            }
        }
        return out;
    }

    /** A short human word for a node's kind: "a mapping", "a list", "a scalar". */
    public static String kind(Node node) {
        return switch (node.getNodeId()) {
            case mapping -> "a mapping";
            case sequence -> "a list";
            case scalar -> "a scalar";
            case anchor -> "an anchor";
        };
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Exposes SafeConstructor's document construction for an already composed node. */
    private static final class Converter extends SafeConstructor {
        Converter() {
            super(options());
        }

        Object convert(Node node) {
            Object o = constructDocument(node);
            return o;
        }
    }

}
