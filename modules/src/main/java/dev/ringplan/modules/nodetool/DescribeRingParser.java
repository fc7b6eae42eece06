package dev.ringplan.modules.nodetool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code nodetool describering <keyspace>}: a {@code Schema Version:} line, a
 * {@code TokenRange:} line, then one Thrift-style
 * {@code TokenRange(start_token:S, end_token:E, endpoints:[a, b], rpc_endpoints:[...],
 * endpoint_details:[...])} per line (seen: 2.0, 2.2, 3.0, 3.11, 3.11 with IPv6 endpoints, 5.0.7;
 * the indentation is spaces or a tab). {@link #parse} keeps start, end and endpoints;
 * {@link #endpointDatacenters} reads the datacenters of the endpoint details.
 */
public final class DescribeRingParser {
    private static final Pattern RANGE = Pattern.compile(
            "TokenRange\\(start_token:([^,]+), end_token:([^,]+), endpoints:\\[([^]]*)]");

    private static final Pattern DETAILS = Pattern.compile(
            "EndpointDetails\\(host:([^,]+), datacenter:([^,)]+)");

    private DescribeRingParser() {
    }

    /**
     * The datacenter of each endpoint, from the {@code EndpointDetails(host:H, datacenter:D,
     * rack:R)} parts of the ranges (2.0 to 5.0.7), in first-seen order; empty when the output has
     * none.
     */
    public static Map<String, String> endpointDatacenters(String output) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = DETAILS.matcher(output);
        while (m.find()) {
            out.putIfAbsent(m.group(1).strip(), m.group(2).strip());
        }
        return out;
    }

    /**
     * Parses the whole standard output.
     *
     * @throws NodetoolParseException when a {@code TokenRange(} line does not match the format
     */
    public static List<TokenRange> parse(String output) throws NodetoolParseException {
        List<TokenRange> out = new ArrayList<>();
        String[] lines = output.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String s = lines[i].strip();
            if (!s.startsWith("TokenRange(")) {
                continue;
            }
            Matcher m = RANGE.matcher(s);
            if (!m.find()) {
                throw NodetoolParseException.at("describering", i + 1, lines[i], "expected TokenRange(start_token:..., "
                        + "end_token:..., endpoints:[...]");
            }
            List<String> eps = new ArrayList<>();
            for (String e : m.group(3).split(",")) {
                if (!e.isBlank()) {
                    eps.add(e.strip());
                }
            }
            out.add(new TokenRange(m.group(1).strip(), m.group(2).strip(), eps));
        }
        return out;
    }
}
