package dev.ringplan.engine.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Host addresses and host ranges as Ansible reads them in inventories: {@code name:port},
 * {@code [v6::addr]:port}, and ranges such as {@code node[01:03]}, {@code db-[a:c]} or
 * {@code web[1:10:2]} (several ranges in one name multiply).
 *
 * <p>Source of the format: ansible-core 2.14 {@code ansible/parsing/utils/addresses.py}
 * ({@code parse_address}) and {@code ansible/plugins/inventory/__init__.py}
 * ({@code expand_hostname_range}, {@code _expand_hostpattern}), ported rule for rule.
 */
public final class HostRanges {
    private static final String NUMERIC_RANGE = "\\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String HEX_RANGE = "\\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\\]";
    private static final String ALNUM_RANGE = "\\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String V6 = "(?:[0-9a-f]{1,4}|" + HEX_RANGE + ")";
    private static final String V4 = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|" + NUMERIC_RANGE + ")";
    private static final String LABEL = "(?:[\\w]|" + ALNUM_RANGE + ")(?:[\\w_-]|" + ALNUM_RANGE + ")*(?<![_-])";
    private static final int CI = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    private static final Pattern BRACKETED_HOSTPORT = Pattern.compile("^\\[(.+)\\]:([0-9]+)$");
    private static final Pattern HOSTPORT = Pattern.compile("^((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)$");
    private static final Pattern IPV4 = Pattern.compile("^(?:" + V4 + "\\.){3}" + V4 + "$", CI);
    // Same alternation as Ansible's: '^' binds to the first branch and '$' to the last only.
    private static final Pattern IPV6 = Pattern.compile(
            "^(?:" + V6 + ":){7}" + V6
                    + "|(?:" + V6 + ":){1,6}:"
                    + "|(?:" + V6 + ":)(?::" + V6 + "){1,6}"
                    + "|(?:" + V6 + ":){2}(?::" + V6 + "){1,5}"
                    + "|(?:" + V6 + ":){3}(?::" + V6 + "){1,4}"
                    + "|(?:" + V6 + ":){4}(?::" + V6 + "){1,3}"
                    + "|(?:" + V6 + ":){5}(?::" + V6 + "){1,2}"
                    + "|(?:" + V6 + ":){6}(?::" + V6 + ")"
                    + "|:(?::" + V6 + "){1,6}"
                    + "|" + V6 + "?::"
                    + "|(?:0:){6}(?:" + V6 + "\\.){3}" + V6
                    + "|::(?:ffff:)?(?:" + V6 + "\\.){3}" + V6
                    + "|(?:0:){5}ffff:(?:" + V6 + "\\.){3}" + V6 + "$", CI);
    private static final Pattern HOSTNAME = Pattern.compile(
            "^" + LABEL + "(?:\\." + LABEL + ")*$", CI | Pattern.UNICODE_CHARACTER_CLASS);
    private static final String ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private HostRanges() {
    }

    /**
     * A host identifier split from its optional port.
     *
     * @param host the address or name, ranges kept
     * @param port the port, or null when none was given
     */
    public record Address(String host, Integer port) {
    }

    /**
     * One inventory host key expanded: the host names and the port that applies to all of them.
     *
     * @param names the host names, in Ansible's order
     * @param port  the port given with {@code :NN}, or null
     */
    public record Expansion(List<String> names, Integer port) {
    }

    /**
     * Ansible's {@code parse_address(address, allow_ranges=True)}: a host name, IPv4 or IPv6
     * address with an optional port ({@code host:22}, {@code [::1]:22}).
     *
     * @return the parsed address, or null when {@code address} is not a valid host identifier
     */
    public static Address parseAddress(String address) {
        if (isPlainHostname(address)) {
            return new Address(address, null);
        }
        Integer port = null;
        String addr = address;
        Matcher m = BRACKETED_HOSTPORT.matcher(addr);
        if (m.lookingAt()) {
            addr = m.group(1);
            port = parsePort(m.group(2));
        }
        m = HOSTPORT.matcher(addr);
        if (m.lookingAt()) {
            addr = m.group(1);
            port = parsePort(m.group(2));
        }
        if (IPV4.matcher(addr).lookingAt() || IPV6.matcher(addr).lookingAt()
                || HOSTNAME.matcher(addr).lookingAt()) {
            return new Address(addr, port);
        }
        return null;
    }

    /**
     * True for what {@code HOSTNAME} matches that has no port, range or non-ASCII character:
     * dot-separated labels of {@code [A-Za-z0-9_-]}, none empty, none starting with {@code -} or
     * ending with {@code _} or {@code -} (the usual inventory host, checked without a regex).
     */
    private static boolean isPlainHostname(String s) {
        int start = 0;
        int n = s.length();
        for (int i = 0; i <= n; i++) {
            char c = i < n ? s.charAt(i) : '.';
            if (c == '.') {
                if (i == start || s.charAt(start) == '-' || s.charAt(i - 1) == '_' || s.charAt(i - 1) == '-') {
                    return false;
                }
                start = i + 1;
            } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static Integer parsePort(String digits) {
        try {
            return Integer.valueOf(digits);
        } catch (NumberFormatException e) {
            return null; // absurdly long digit strings: treated as no port
        }
    }

    /**
     * Ansible's {@code _expand_hostpattern}: splits the port off (when the key parses as an
     * address) and expands {@code [x:y]} / {@code [x:y:step]} ranges.
     *
     * @throws IllegalArgumentException with Ansible's message when a range is malformed
     */
    public static Expansion expandHostPattern(String hostPattern) {
        Address a = parseAddress(hostPattern);
        String pattern = a != null ? a.host() : hostPattern;
        Integer port = a != null ? a.port() : null;
        List<String> names = pattern.contains("[") ? expand(pattern) : List.of(pattern);
        return new Expansion(names, port);
    }

    /**
     * Ansible's {@code expand_hostname_range}: expands the first {@code [begin:end(:step)]} of
     * {@code line}, then the following ones recursively. Numeric ranges keep zero padding when
     * {@code begin} starts with 0 ({@code [01:10]}); letter ranges run over {@code a-zA-Z}.
     *
     * @throws IllegalArgumentException with Ansible's message when a range is malformed
     */
    public static List<String> expand(String line) {
        List<String> all = new ArrayList<>();
        if (line == null || line.isEmpty()) {
            return all;
        }
        String replaced = line.replaceFirst("\\[", "|").replaceFirst("]", "|");
        String[] parts = replaced.split("\\|", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("host range '" + line + "' is not of the form head[begin:end]tail");
        }
        String head = parts[0];
        String nrange = parts[1];
        String tail = parts[2];
        String[] bounds = nrange.split(":", -1);
        if (bounds.length != 2 && bounds.length != 3) {
            throw new IllegalArgumentException("host range must be begin:end or begin:end:step (in '" + line + "')");
        }
        String beg = bounds[0];
        String end = bounds[1];
        String step = bounds.length == 2 ? "1" : bounds[2];
        if (beg.isEmpty()) {
            beg = "0";
        }
        if (end.isEmpty()) {
            throw new IllegalArgumentException("host range must specify end value (in '" + line + "')");
        }
        int padTo = 0;
        if (beg.charAt(0) == '0' && beg.length() > 1) {
            padTo = beg.length();
            if (padTo != end.length()) {
                throw new IllegalArgumentException(
                        "host range must specify equal-length begin and end formats (in '" + line + "')");
            }
        }
        int stepValue = parseInt(step, line);
        List<String> seq = new ArrayList<>();
        int iBeg = ASCII_LETTERS.indexOf(beg);
        int iEnd = ASCII_LETTERS.indexOf(end);
        if (iBeg >= 0 && iEnd >= 0) {
            if (iBeg > iEnd) {
                throw new IllegalArgumentException("host range must have begin <= end (in '" + line + "')");
            }
            if (stepValue <= 0) {
                throw new IllegalArgumentException("host range step must be positive (in '" + line + "')");
            }
            for (int i = iBeg; i <= iEnd; i += stepValue) {
                seq.add(String.valueOf(ASCII_LETTERS.charAt(i)));
            }
        } else {
            long b = parseInt(beg, line);
            long e = parseInt(end, line) + 1L;
            if (stepValue == 0) {
                throw new IllegalArgumentException("host range step must not be zero (in '" + line + "')");
            }
            if ((e - b) / stepValue > 100_000) {
                throw new IllegalArgumentException("host range expands to too many hosts (in '" + line + "')");
            }
            for (long i = b; stepValue > 0 ? i < e : i > e; i += stepValue) {
                String s = Long.toString(i);
                seq.add(padTo > 0 ? zfill(s, padTo) : s);
            }
        }
        for (String r : seq) {
            String name = head + r + tail;
            if (name.contains("[")) {
                all.addAll(expand(name));
            } else {
                all.add(name);
            }
        }
        return all;
    }

    private static int parseInt(String s, String line) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("host range bound '" + s + "' is not a number (in '" + line + "')");
        }
    }

    /** Python's {@code str.zfill}: pads with zeros after the sign. */
    private static String zfill(String s, int width) {
        if (s.length() >= width) {
            return s;
        }
        boolean neg = s.startsWith("-");
        String digits = neg ? s.substring(1) : s;
        return (neg ? "-" : "") + "0".repeat(width - s.length()) + digits;
    }
}
