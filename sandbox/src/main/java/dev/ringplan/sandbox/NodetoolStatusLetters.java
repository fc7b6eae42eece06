package dev.ringplan.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal parser of {@code nodetool status} output for the sandbox's start-up checks: the two
 * letters (status U/D, state N/L/J/M) of each address, nothing else. Format
 * as printed by Cassandra 5.0.7 (as a sandbox node prints it): after the legend,
 * one line per node starting with status U/D and state N/L/J/M, then the address, e.g.
 * {@code UN  127.0.0.2  30.89 KiB  16  100.0%  add0c91d-...  rack1}.
 */
final class NodetoolStatusLetters {
    private static final Pattern LINE = Pattern.compile("^([UD][NLJM])\\s+(\\S+)\\s");

    private NodetoolStatusLetters() {
    }

    /** Address to state (e.g. {@code 127.0.0.1 -> UN}), in output order; empty when no node line is found. */
    static Map<String, String> parse(String output) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                out.put(m.group(2), m.group(1));
            }
        }
        return out;
    }
}
