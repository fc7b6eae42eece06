package dev.ringplan.engine.template;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import com.hubspot.jinjava.lib.filter.Filter;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.yaml.SafeYaml;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Ansible's filters that Jinjava lacks or spells differently, with Ansible's behaviour
 * (ansible/plugins/filter/core.py and Jinja2's {@code default}). Each failure throws
 * {@link FilterFailure}, which {@link Templater} turns into a {@link TemplateException}.
 */
final class AnsibleFilters {
    private AnsibleFilters() {
    }

    /** A filter could not do its job; the message is for the user. */
    static final class FilterFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FilterFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** All filters to register, replacing Jinjava's of the same name. */
    static List<Filter> all() {
        return List.of(new Default("default"), new Default("d"), new Bool(), new Str(),
                new ToJson(), new ToNiceJson(), new FromJson(), new ToYaml(false), new ToYaml(true),
                new FromYaml(), new Basename(), new Dirname(), new RegexReplace(), new Quote(),
                new Ternary(), new Combine(), new Product());
    }

    /**
     * {@code product(list, ...)}: the cartesian product, as Ansible's {@code product} filter
     * (itertools.product): {@code ['a','b'] | product(['x']) | list} is
     * {@code [['a','x'], ['b','x']]}.
     */
    static final class Product extends Base {
        @Override
        public String getName() {
            return "product";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
            List<List<Object>> out = new ArrayList<>();
            out.add(new ArrayList<>());
            List<Object> lists = new ArrayList<>();
            lists.add(var);
            if (args != null) {
                lists.addAll(List.of(args));
            }
            for (Object l : lists) {
                if (!(l instanceof Collection<?> c)) {
                    throw new FilterFailure("product: expected lists, got " + Python.str(l), null);
                }
                List<List<Object>> next = new ArrayList<>();
                for (List<Object> prefix : out) {
                    for (Object x : c) {
                        List<Object> t = new ArrayList<>(prefix);
                        t.add(x);
                        next.add(t);
                    }
                }
                out = next;
            }
            return out;
        }
    }

    private abstract static class Base implements AdvancedFilter {
        static Object arg(Object[] args, int i, Map<String, Object> kwargs, String name, Object dflt) {
            if (kwargs != null && kwargs.containsKey(name)) {
                return kwargs.get(name);
            }
            return args != null && args.length > i ? args[i] : dflt;
        }

        static String text(Object v) {
            return v == null ? "" : Python.str(v);
        }
    }

    /**
     * {@code default(value='', boolean=false)}: the value when the input is undefined (or,
     * with {@code boolean=true}, falsy). Unlike Jinjava's own, keeps the type of the value
     * ({@code port | default(7199)} is a number).
     */
    static final class Default extends Base {
        private final String name;

        Default(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
            Object dflt = arg(args, 0, kwargs, "default_value", "");
            boolean bool = Python.truthy(arg(args, 1, kwargs, "boolean", false));
            if (var == null || (bool && !Python.truthy(var))) {
                return dflt;
            }
            return var;
        }
    }

    /**
     * {@code bool}: the one truthiness rule ({@link Truth}): yes/on/true/1/y/t are true,
     * no/off/false/0/n/f and '' false, null false; any other value fails the template (Ansible
     * returns false for it).
     */
    static final class Bool extends Base {
        @Override
        public String getName() {
            return "bool";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
            try {
                return Truth.of(var);
            } catch (Truth.NotBoolean e) {
                throw new FilterFailure("bool: " + e.getMessage(), null);
            }
        }
    }

    /** {@code string}: Python's {@code str()} ({@code True}, {@code ['a']}). */
    static final class Str extends Base {
        @Override
        public String getName() {
            return "string";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
            return Python.str(var);
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build();

    /** {@code to_json}: like Python's json.dumps: {@code {"a": 1, "b": [1, 2]}}, ASCII only. */
    static final class ToJson extends Base {
        private static final ObjectWriter WRITER = JSON.writer(new DefaultPrettyPrinter(
                Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEntrySpacing(Separators.Spacing.AFTER)
                        .withArrayValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter())
                .withObjectIndenter(new DefaultPrettyPrinter.NopIndenter()));

        @Override
        public String getName() {
            return "to_json";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
            try {
                return WRITER.writeValueAsString(Python.plain(var));
            } catch (Exception e) {
                throw new FilterFailure("to_json: cannot write " + Python.repr(var) + " as JSON: " + e.getMessage(), e);
            }
        }
    }

    /** {@code to_nice_json}: indented by 4, keys sorted, as Ansible's. */
    static final class ToNiceJson extends Base {
        private static final ObjectWriter WRITER = JSON.writer(new DefaultPrettyPrinter(
                Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withArrayIndenter(new DefaultIndenter("    ", "\n"))
                .withObjectIndenter(new DefaultIndenter("    ", "\n")))
                .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

        @Override
        public String getName() {
            return "to_nice_json";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
            try {
                return WRITER.writeValueAsString(Python.plain(var));
            } catch (Exception e) {
                throw new FilterFailure("to_nice_json: cannot write " + Python.repr(var) + " as JSON: " + e.getMessage(), e);
            }
        }
    }

    /** {@code from_json}: parses JSON text into maps, lists, strings, numbers, booleans. */
    static final class FromJson extends Base {
        @Override
        public String getName() {
            return "from_json";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
            try {
                return JSON.readValue(text(var), Object.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new FilterFailure("from_json: not valid JSON: " + e.getOriginalMessage(), e);
            }
        }
    }

    /** {@code from_yaml}: parses YAML text safely (through {@link SafeYaml}). */
    static final class FromYaml extends Base {
        @Override
        public String getName() {
            return "from_yaml";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
            try {
                return SafeYaml.toJava(SafeYaml.compose("from_yaml", text(var)));
            } catch (InvalidInputException e) {
                throw new FilterFailure("from_yaml: not valid YAML: " + e.getMessage(), e);
            }
        }
    }

    /**
     * {@code to_yaml} (flow style for collections of scalars, as PyYAML's
     * {@code default_flow_style=None}) and {@code to_nice_yaml} (block style, indent 4). Keys
     * are sorted like PyYAML's {@code sort_keys=True} when they are all strings.
     */
    static final class ToYaml extends Base {
        private final boolean nice;

        ToYaml(boolean nice) {
            this.nice = nice;
        }

        @Override
        public String getName() {
            return nice ? "to_nice_yaml" : "to_yaml";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
            DumperOptions o = new DumperOptions();
            o.setDefaultFlowStyle(nice ? DumperOptions.FlowStyle.BLOCK : DumperOptions.FlowStyle.AUTO);
            o.setIndent(nice ? 4 : 2);
            o.setAllowUnicode(true);
            o.setWidth(Integer.MAX_VALUE / 2);
            return new Yaml(o).dump(sortKeys(Python.plain(var)));
        }

        private static Object sortKeys(Object v) {
            if (v instanceof Map<?, ?> m) {
                boolean strings = m.keySet().stream().allMatch(k -> k instanceof String);
                Map<Object, Object> out = strings ? new TreeMap<>() : new LinkedHashMap<>();
                m.forEach((k, val) -> out.put(k, sortKeys(val)));
                return strings ? new LinkedHashMap<>(out) : out;
            }
            if (v instanceof List<?> l) {
                return l.stream().map(ToYaml::sortKeys).toList();
            }
            return v;
        }
    }

    /** {@code basename}: Python's os.path.basename ('/a/b' → 'b', '/a/b/' → ''). */
    static final class Basename extends Base {
        @Override
        public String getName() {
            return "basename";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
            String s = text(var);
            return s.substring(s.lastIndexOf('/') + 1);
        }
    }

    /** {@code dirname}: Python's os.path.dirname ('/a/b' → '/a', 'b' → '', '/b' → '/'). */
    static final class Dirname extends Base {
        @Override
        public String getName() {
            return "dirname";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
            String s = text(var);
            String head = s.substring(0, s.lastIndexOf('/') + 1);
            if (!head.isEmpty() && !head.chars().allMatch(c -> c == '/')) {
                head = head.replaceAll("/+$", "");
            }
            return head;
        }
    }

    /**
     * {@code regex_replace(pattern, replacement='', ignorecase=false, multiline=false, count=0)}
     * with Python's syntax: {@code \1} and {@code \g<name>} in the replacement,
     * {@code (?P<name>...)} in the pattern. Java's regex engine runs it.
     */
    static final class RegexReplace extends Base {
        @Override
        public String getName() {
            return "regex_replace";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
            String pattern = text(arg(args, 0, kwargs, "pattern", null));
            String replacement = text(arg(args, 1, kwargs, "replacement", ""));
            int flags = 0;
            if (Python.truthy(arg(args, 2, kwargs, "ignorecase", false))) {
                flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
            }
            if (Python.truthy(arg(args, 3, kwargs, "multiline", false))) {
                flags |= Pattern.MULTILINE;
            }
            Object countArg = arg(args, 4, kwargs, "count", 0);
            int count = countArg instanceof Number n ? n.intValue() : Integer.parseInt(text(countArg).trim());
            Pattern p;
            try {
                p = Pattern.compile(pythonPattern(pattern), flags);
            } catch (PatternSyntaxException e) {
                throw new FilterFailure("regex_replace: bad pattern '" + pattern + "': " + e.getDescription(), e);
            }
            String javaReplacement = javaReplacement(replacement);
            Matcher m = p.matcher(text(var));
            StringBuilder sb = new StringBuilder();
            int done = 0;
            try {
                while ((count <= 0 || done < count) && m.find()) {
                    m.appendReplacement(sb, javaReplacement);
                    done++;
                }
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new FilterFailure("regex_replace: bad replacement '" + replacement + "': " + e.getMessage(), e);
            }
            m.appendTail(sb);
            return sb.toString();
        }

        static String pythonPattern(String p) {
            return p.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
        }

        static String javaReplacement(String r) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < r.length(); i++) {
                char c = r.charAt(i);
                if (c == '$') {
                    out.append("\\$");
                } else if (c == '\\' && i + 1 < r.length()) {
                    char n = r.charAt(++i);
                    if (Character.isDigit(n)) {
                        out.append('$').append(n);
                    } else if (n == 'g' && i + 1 < r.length() && r.charAt(i + 1) == '<' && r.indexOf('>', i) > 0) {
                        int end = r.indexOf('>', i);
                        String name = r.substring(i + 2, end);
                        out.append(name.chars().allMatch(Character::isDigit) ? "$" + name : "${" + name + "}");
                        i = end;
                    } else if (n == 'n') {
                        out.append('\n');
                    } else if (n == 't') {
                        out.append('\t');
                    } else if (n == '\\') {
                        out.append("\\\\");
                    } else {
                        out.append("\\\\").append(n == '$' ? "\\$" : String.valueOf(n));
                    }
                } else if (c == '\\') {
                    out.append("\\\\");
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }

    /** {@code quote}: Python's shlex.quote, for a value put into a shell command line. */
    static final class Quote extends Base {
        private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

        @Override
        public String getName() {
            return "quote";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
            String s = text(var);
            if (s.isEmpty()) {
                return "''";
            }
            if (SAFE.matcher(s).matches()) {
                return s;
            }
            return "'" + s.replace("'", "'\"'\"'") + "'";
        }
    }

    /** {@code ternary(true_val, false_val, none_val=false_val)}. */
    static final class Ternary extends Base {
        @Override
        public String getName() {
            return "ternary";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
            Object yes = arg(args, 0, kwargs, "true_val", null);
            Object no = arg(args, 1, kwargs, "false_val", null);
            if (var == null && (args.length > 2 || (kwargs != null && kwargs.containsKey("none_val")))) {
                return arg(args, 2, kwargs, "none_val", null);
            }
            return Python.truthy(var) ? yes : no;
        }
    }

    /** {@code combine(dict, ..., recursive=false)}: merged maps, later ones winning. */
    static final class Combine extends Base {
        @Override
        public String getName() {
            return "combine";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
            boolean recursive = kwargs != null && Python.truthy(kwargs.get("recursive"));
            Map<Object, Object> out = new LinkedHashMap<>();
            merge(out, var, recursive);
            for (Object a : args) {
                if (a instanceof Collection<?> c) {
                    for (Object m : c) {
                        merge(out, m, recursive);
                    }
                } else {
                    merge(out, a, recursive);
                }
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        private static void merge(Map<Object, Object> into, Object from, boolean recursive) {
            if (!(from instanceof Map<?, ?> m)) {
                throw new FilterFailure("combine: expects dictionaries, got " + Python.repr(from), null);
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object old = into.get(e.getKey());
                if (recursive && old instanceof Map<?, ?> && e.getValue() instanceof Map<?, ?>) {
                    Map<Object, Object> merged = new LinkedHashMap<>((Map<Object, Object>) old);
                    merge(merged, e.getValue(), true);
                    into.put(e.getKey(), merged);
                } else {
                    into.put(e.getKey(), Python.plain(e.getValue()));
                }
            }
        }
    }
}
