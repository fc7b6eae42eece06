package dev.ringplan.engine.inventory;

import dev.ringplan.engine.diag.Suggest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Host pattern evaluation, ported from ansible-core 2.14 {@code inventory/manager.py}
 * ({@code split_host_pattern}, {@code order_patterns}, {@code _evaluate_patterns},
 * {@code _match_one_pattern}, {@code _split_subscript}, {@code _enumerate_matches}) and Python's
 * {@code fnmatch.translate}.
 */
final class PatternResolver {
    private static final Pattern SPLIT = Pattern.compile("(?:[^\\s:\\[\\]]|\\[[^\\]]*\\])+");
    private static final Pattern WITH_SUBSCRIPT = Pattern.compile("^(.+)\\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\\]$");

    private final Inventory inv;

    PatternResolver(Inventory inv) {
        this.inv = inv;
    }

    List<String> resolve(String pattern) throws HostPatternException {
        List<String> patterns = split(pattern == null ? "" : pattern);
        List<String> ordered = order(patterns);
        LinkedHashSet<String> hosts = new LinkedHashSet<>();
        for (String p : ordered) {
            if (inv.hasHost(p)) {
                hosts.add(p);
                continue;
            }
            List<String> that = matchOne(p);
            if (p.charAt(0) == '!') {
                hosts.removeAll(Set.copyOf(that));
            } else if (p.charAt(0) == '&') {
                hosts.retainAll(Set.copyOf(that));
            } else {
                hosts.addAll(that);
            }
        }
        return List.copyOf(hosts);
    }

    /** Ansible's {@code split_host_pattern} for one string. */
    static List<String> split(String pattern) {
        List<String> parts = new ArrayList<>();
        if (pattern.contains(",")) {
            for (String p : pattern.split(",", -1)) {
                parts.add(p);
            }
        } else if (HostRanges.parseAddress(pattern) != null) {
            parts.add(pattern);
        } else {
            Matcher m = SPLIT.matcher(pattern);
            while (m.find()) {
                parts.add(m.group());
            }
        }
        List<String> out = new ArrayList<>();
        for (String p : parts) {
            if (!p.strip().isEmpty()) {
                out.add(p.strip());
            }
        }
        return out;
    }

    /** Ansible's {@code order_patterns}: plain first, then {@code &}, then {@code !}. */
    static List<String> order(List<String> patterns) {
        List<String> regular = new ArrayList<>();
        List<String> and = new ArrayList<>();
        List<String> not = new ArrayList<>();
        for (String p : patterns) {
            if (p.isEmpty()) {
                continue;
            }
            if (p.charAt(0) == '!') {
                not.add(p);
            } else if (p.charAt(0) == '&') {
                and.add(p);
            } else {
                regular.add(p);
            }
        }
        if (regular.isEmpty()) {
            regular.add("all");
        }
        List<String> out = new ArrayList<>(regular);
        out.addAll(and);
        out.addAll(not);
        return out;
    }

    private List<String> matchOne(String pattern) throws HostPatternException {
        String p = pattern.charAt(0) == '&' || pattern.charAt(0) == '!' ? pattern.substring(1) : pattern;
        if (p.isEmpty()) {
            throw new HostPatternException(pattern, "empty host pattern after '" + pattern + "'", null);
        }
        String expr = p;
        int[] subscript = null;
        if (p.charAt(0) != '~') {
            Matcher m = WITH_SUBSCRIPT.matcher(p);
            if (m.matches()) {
                expr = m.group(1);
                if (m.group(2) != null) {
                    subscript = new int[] {Integer.parseInt(m.group(2)), Integer.MIN_VALUE};
                } else {
                    int end = m.group(5).isEmpty() ? -1 : Integer.parseInt(m.group(5));
                    subscript = new int[] {Integer.parseInt(m.group(3)), end};
                }
            }
        }
        List<String> hosts = enumerate(expr, pattern);
        if (subscript == null || hosts.isEmpty()) {
            return hosts;
        }
        int start = subscript[0];
        int end = subscript[1];
        if (end != Integer.MIN_VALUE && end != 0) {
            if (end == -1) {
                end = hosts.size() - 1;
            }
            int from = Math.min(Math.max(start, 0), hosts.size());
            int to = Math.min(Math.max(end + 1, from), hosts.size());
            return hosts.subList(from, to);
        }
        int idx = start < 0 ? hosts.size() + start : start;
        if (idx < 0 || idx >= hosts.size()) {
            throw new HostPatternException(pattern, "no hosts matched the subscripted pattern '" + p + "'",
                    "'" + expr + "' has " + hosts.size() + " host(s)");
        }
        return List.of(hosts.get(idx));
    }

    private List<String> enumerate(String expr, String original) throws HostPatternException {
        Pattern re = compile(expr, original);
        List<String> results = new ArrayList<>();
        boolean groupMatched = false;
        for (String g : inv.groupDefinitions().keySet()) {
            if (re.matcher(g).lookingAt()) {
                groupMatched = true;
                results.addAll(inv.groups().get(g));
            }
        }
        boolean special = expr.charAt(0) == '~' || expr.contains(".") || expr.contains("?")
                || expr.contains("*") || expr.contains("[");
        if (!groupMatched || special) {
            for (String h : inv.definitionOrder()) {
                if (re.matcher(h).lookingAt()) {
                    results.add(h);
                }
            }
        }
        if (results.isEmpty() && !groupMatched && !expr.equals("all")) {
            List<String> names = new ArrayList<>(inv.groupDefinitions().keySet());
            names.addAll(inv.definitionOrder());
            String hint = Suggest.didYouMean(expr, names);
            throw new HostPatternException(original, "host pattern '" + original
                    + "' matches no host or group in inventory " + inv.source(), hint);
        }
        return results;
    }

    private static Pattern compile(String expr, String original) throws HostPatternException {
        try {
            if (expr.charAt(0) == '~') {
                String py = expr.substring(1).replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
                return Pattern.compile(py);
            }
            return Pattern.compile(fnmatchTranslate(expr) + "\\z");
        } catch (PatternSyntaxException e) {
            throw new HostPatternException(original, "invalid host list pattern: " + original,
                    e.getDescription());
        }
    }

    /** Python's {@code fnmatch.translate}: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}. */
    static String fnmatchTranslate(String pat) {
        StringBuilder res = new StringBuilder();
        int i = 0;
        int n = pat.length();
        while (i < n) {
            char c = pat.charAt(i++);
            if (c == '*') {
                if (res.length() < 2 || !res.substring(res.length() - 2).equals(".*")) {
                    res.append(".*");
                }
            } else if (c == '?') {
                res.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && pat.charAt(j) == '!') {
                    j++;
                }
                if (j < n && pat.charAt(j) == ']') {
                    j++;
                }
                while (j < n && pat.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    res.append("\\[");
                } else {
                    String stuff = pat.substring(i, j);
                    i = j + 1;
                    if (stuff.isEmpty()) {
                        res.append("(?!)");
                        continue;
                    }
                    StringBuilder cls = new StringBuilder();
                    int k = 0;
                    if (stuff.charAt(0) == '!') {
                        cls.append('^');
                        k = 1;
                    } else if (stuff.charAt(0) == '^') {
                        cls.append("\\^");
                        k = 1;
                    }
                    for (; k < stuff.length(); k++) {
                        char sc = stuff.charAt(k);
                        if (sc == '\\' || sc == '[' || sc == ']' || sc == '&' || sc == '~' || sc == '|') {
                            cls.append('\\');
                        }
                        cls.append(sc);
                    }
                    res.append('[').append(cls).append(']');
                }
            } else {
                res.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return "(?s:" + res + ")";
    }
}
