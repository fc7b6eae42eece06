package dev.ringplan.cli;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.exec.Variables;
import dev.ringplan.engine.secret.Secrets;
import dev.ringplan.engine.yaml.SafeYaml;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The {@code -e}/{@code --extra-vars} values, in the three forms {@code ansible-playbook} takes
 * (ansible-core {@code utils/vars.py}, {@code load_extra_vars}):
 * <ul>
 *   <li>{@code @FILE}: a YAML (or JSON) file holding a mapping of variable names to values;</li>
 *   <li>a value starting with {@code {} or {@code [}: an inline YAML/JSON mapping
 *       ({@code '{"tag": "t1", "nodes": [1, 2]}'}), values keep their types;</li>
 *   <li>anything else: {@code key=value} words separated by blanks, quoted as a POSIX shell
 *       would ({@code 'a=1 b="two words"'}; single quotes keep everything, double quotes let a
 *       backslash escape {@code $ ` " \}); a Jinja2 <code>{{ ... }}</code> or {@code {% ... %}}
 *       block stays in one word, as Ansible's {@code split_args} keeps it. Values are strings,
 *       as in Ansible.</li>
 * </ul>
 * Later values override earlier ones, name by name. A magic variable ({@code inventory_hostname},
 * {@code groups}, {@code hostvars}, ...: {@link Variables#MAGIC}) is refused: Ansible would keep its
 * own value and ignore such an {@code -e}, with only a warning. Errors name the {@code -e} (its
 * 1-based position among the {@code -e} options, {@code -e #2}) or the file, with line and column,
 * and what was expected; they never repeat a value, since extra vars often carry passwords.
 */
final class ExtraVars {
    private static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=");

    private ExtraVars() {
    }

    /**
     * Parses every {@code -e} value.
     *
     * @throws InvalidInputException with every problem found, located, values never quoted
     */
    static Map<String, Object> parse(List<String> specs) throws InvalidInputException {
        Diagnostics diags = new Diagnostics();
        Map<String, Object> out = parse(specs, diags);
        diags.throwIfErrors();
        return out;
    }

    /** Parses every {@code -e} value, keeping what parses and adding each problem to {@code diags}. */
    static Map<String, Object> parse(List<String> specs, Diagnostics diags) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            String spec = specs.get(i);
            String label = "-e #" + (i + 1);
            if (spec.startsWith("@")) {
                file(spec.substring(1), label, out, diags);
            } else if (spec.stripLeading().startsWith("{") || spec.stripLeading().startsWith("[")) {
                try {
                    mapping(SafeYaml.compose(label, spec), label, "an inline extra vars value", out, diags);
                } catch (InvalidInputException e) {
                    diags.addAll(e.diagnostics());
                }
            } else {
                keyValues(spec, label, out, diags);
            }
        }
        return out;
    }

    /**
     * The secrets visible in raw command-line arguments, for masking a message about them: the
     * secret-named values of every {@code -e} that parses (even partly), the word after
     * {@code -e NAME} when NAME is a secret name written without {@code =} (a forgotten {@code =}),
     * and the value of any {@code NAME=value} inside any argument when NAME is a secret name (a
     * misspelt option such as {@code --extra-var=db_password=x} is quoted back by picocli).
     */
    static Secrets secretsOf(String[] args) {
        Secrets s = Secrets.of(List.of());
        List<String> specs = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            java.util.regex.Matcher m = ASSIGNMENT.matcher(a);
            while (m.find()) {
                if (Secrets.isSecretKey(m.group(1))) {
                    String value = a.substring(m.end()).split("\\s", 2)[0];
                    s.addValue(value);
                    s.addValue(value.replaceAll("^['\"]|['\"]$", ""));
                }
            }
            String v = null;
            if ((a.equals("-e") || a.equals("--extra-vars")) && i + 1 < args.length) {
                v = args[++i];
                if (!v.contains("=") && !v.startsWith("@") && Secrets.isSecretKey(v.strip()) && i + 1 < args.length) {
                    s.addValue(args[i + 1]);
                }
            } else if (a.startsWith("--extra-vars=")) {
                v = a.substring("--extra-vars=".length());
            } else if (a.startsWith("-e") && a.length() > 2 && !a.startsWith("--")) {
                v = a.substring(a.charAt(2) == '=' ? 3 : 2);
            }
            if (v != null) {
                specs.add(v);
            }
        }
        s.collect(parse(specs, new Diagnostics()));
        return s;
    }

    private static void file(String name, String label, Map<String, Object> out, Diagnostics diags) {
        if (name.isEmpty()) {
            diags.error(SourcePos.ofFile(label), "'@' must be followed by a file name (-e @vars.yaml)");
            return;
        }
        Path f = Path.of(name);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(f))).toString();
        } catch (CharacterCodingException e) {
            diags.error(SourcePos.ofFile(name), "extra vars file is not UTF-8 text");
            return;
        } catch (java.nio.file.NoSuchFileException e) {
            diags.error(SourcePos.ofFile(name), "extra vars file not found (" + label + ")");
            return;
        } catch (IOException e) {
            diags.error(SourcePos.ofFile(name), "cannot read extra vars file (" + label + "): "
                    + e.getClass().getSimpleName());
            return;
        }
        try {
            mapping(SafeYaml.compose(name, text), name, "an extra vars file", out, diags);
        } catch (InvalidInputException e) {
            diags.addAll(e.diagnostics());
        }
    }

    private static void mapping(Node root, String file, String what, Map<String, Object> out, Diagnostics diags) {
        if (root == null) {
            diags.error(SourcePos.ofFile(file), what + " is empty: expected a mapping of variable names to values");
            return;
        }
        if (!(root instanceof MappingNode m)) {
            diags.error(SafeYaml.pos(file, root), what + " must be a mapping of variable names to values, got "
                    + SafeYaml.kind(root));
            return;
        }
        for (NodeTuple t : m.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode s) || !VAR_NAME.matcher(s.getValue()).matches()) {
                diags.error(SafeYaml.pos(file, k), "not a variable name: expected letters, digits and '_', "
                        + "not starting with a digit");
                continue;
            }
            put(s.getValue(), SafeYaml.toJava(t.getValueNode()), SafeYaml.pos(file, k), out, diags);
        }
    }

    /** Sets one extra variable, unless it is a magic variable (reported at {@code pos}). */
    private static void put(String key, Object value, SourcePos pos, Map<String, Object> out, Diagnostics diags) {
        if (Variables.MAGIC.contains(key)) {
            diags.error(pos, "'" + key + "' is a magic variable that Ringplan sets for each host: -e cannot set it",
                    "Ansible would silently keep its own value and ignore the -e; the magic variables are "
                            + String.join(", ", new java.util.TreeSet<>(Variables.MAGIC)));
            return;
        }
        out.put(key, value);
    }

    /** Splits {@code key=value} words as described in the class comment. */
    private static void keyValues(String spec, String label, Map<String, Object> out, Diagnostics diags) {
        StringBuilder word = new StringBuilder();
        int eq = -1;
        boolean inWord = false;
        int wordStart = 0;
        int wordNo = 0;
        int i = 0;
        int n = spec.length();
        while (i <= n) {
            char c = i < n ? spec.charAt(i) : ' ';
            if (i == n || Character.isWhitespace(c)) {
                if (inWord) {
                    wordNo++;
                    pair(word.toString(), eq, wordNo, pos(label, spec, wordStart), out, diags);
                    word.setLength(0);
                    eq = -1;
                    inWord = false;
                }
                i++;
                continue;
            }
            if (!inWord) {
                inWord = true;
                wordStart = i;
            }
            if (c == '{' && i + 1 < n && (spec.charAt(i + 1) == '{' || spec.charAt(i + 1) == '%')) {
                String close = spec.charAt(i + 1) == '{' ? "}}" : "%}";
                int end = spec.indexOf(close, i + 2);
                if (end < 0) {
                    diags.error(pos(label, spec, i), "unterminated Jinja2 block: '" + close + "' expected");
                    return;
                }
                word.append(spec, i, end + 2);
                i = end + 2;
            } else if (c == '\'') {
                int end = spec.indexOf('\'', i + 1);
                if (end < 0) {
                    diags.error(pos(label, spec, i), "unterminated single quote");
                    return;
                }
                word.append(spec, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                int open = i++;
                boolean closed = false;
                while (i < n) {
                    char d = spec.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && "$`\"\\\n".indexOf(spec.charAt(i + 1)) >= 0) {
                        if (spec.charAt(i + 1) != '\n') {
                            word.append(spec.charAt(i + 1));
                        }
                        i += 2;
                        continue;
                    }
                    word.append(d);
                    i++;
                }
                if (!closed) {
                    diags.error(pos(label, spec, open), "unterminated double quote");
                    return;
                }
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    diags.error(pos(label, spec, i), "trailing backslash");
                    return;
                }
                word.append(spec.charAt(i + 1));
                i += 2;
            } else {
                if (c == '=' && eq < 0) {
                    eq = word.length();
                }
                word.append(c);
                i++;
            }
        }
    }

    private static void pair(String word, int eq, int wordNo, SourcePos pos, Map<String, Object> out,
                             Diagnostics diags) {
        if (eq < 0) {
            diags.error(pos, "word " + wordNo + " is not KEY=VALUE: expected name=value words, "
                    + "@FILE, or a JSON/YAML mapping");
            return;
        }
        String key = word.substring(0, eq);
        if (!VAR_NAME.matcher(key).matches()) {
            diags.error(pos, "word " + wordNo + ": the text before '=' is not a variable name "
                    + "(letters, digits and '_', not starting with a digit)");
            return;
        }
        put(key, word.substring(eq + 1), pos, out, diags);
    }

    /** The 1-based line and column of {@code index} in {@code spec}. */
    private static SourcePos pos(String label, String spec, int index) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < index && i < spec.length(); i++) {
            if (spec.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new SourcePos(label, line, col);
    }
}
