package dev.ringplan.modules.nodetool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code nodetool describecluster} (Cassandra's {@code tools/nodetool/DescribeCluster.java}):
 *
 * <pre>
 * Cluster Information:
 * 	Name: feas
 * 	Snitch: org.apache.cassandra.locator.SimpleSnitch
 * 	DynamicEndPointSnitch: enabled
 * 	Partitioner: org.apache.cassandra.dht.Murmur3Partitioner
 * 	Schema versions:
 * 		d03783d7-b468-3c1a-82f1-8e30b2edde8b: [127.0.0.1, 127.0.0.2]
 *
 * Stats for all nodes: ...
 * Data Centers:
 * 	datacenter1 #Nodes: 2 #Down: 0
 * Database versions:
 * 	5.0.7: [127.0.0.1:7000, 127.0.0.2:7000]
 * Keyspaces:
 * 	system_traces -> Replication class: SimpleStrategy {replication_factor=2}
 * </pre>
 *
 * <p>Seen: 2.0 (space-indented), 2.2 (endpoints separated by spaces, no commas), 3.0, 3.11,
 * 5.0.7 (with the 4.0+ sections: stats, data centers, database versions, keyspaces). Indentation
 * may be tabs or spaces. IPv6 endpoints contain colons, so a schema line is split at the first
 * {@code ": ["}.
 */
public final class DescribeClusterParser {
    private static final Pattern LIST_ENTRY = Pattern.compile("(.+?):\\s*\\[(.*)]\\s*");
    private static final Pattern DC_ENTRY = Pattern.compile("(\\S+)\\s+#Nodes:\\s*(\\d+)\\s+#Down:\\s*(\\d+)\\s*");

    private DescribeClusterParser() {
    }

    /**
     * Parses the whole standard output of {@code nodetool describecluster}.
     *
     * @throws NodetoolParseException when there is no {@code Name:} or {@code Partitioner:} line,
     *                                or a schema version line is not {@code version: [endpoints]}
     */
    public static ClusterDescription parse(String output) throws NodetoolParseException {
        String name = null;
        String snitch = null;
        String dynamic = null;
        String partitioner = null;
        Map<String, List<String>> schema = new LinkedHashMap<>();
        Map<String, Map<String, Long>> dcs = new LinkedHashMap<>();
        Map<String, List<String>> versions = new LinkedHashMap<>();
        Map<String, String> keyspaces = new LinkedHashMap<>();
        String section = "";
        String[] lines = output.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String s = line.strip();
            if (s.isEmpty()) {
                continue;
            }
            boolean indented = Character.isWhitespace(line.charAt(0));
            if (!indented) {
                section = s;
                continue;
            }
            if (section.startsWith("Cluster Information")) {
                if (s.startsWith("Name:")) {
                    name = value(s);
                } else if (s.startsWith("Snitch:")) {
                    snitch = value(s);
                } else if (s.startsWith("DynamicEndPointSnitch:")) {
                    dynamic = value(s);
                } else if (s.startsWith("Partitioner:")) {
                    partitioner = value(s);
                } else if (s.startsWith("Schema versions:")) {
                    continue;
                } else {
                    Matcher m = LIST_ENTRY.matcher(s);
                    if (!m.matches()) {
                        throw NodetoolParseException.at("describecluster", i + 1, line,
                                "expected 'schema-version: [endpoints]'");
                    }
                    schema.put(m.group(1).strip(), endpoints(m.group(2)));
                }
            } else if (section.startsWith("Data Centers")) {
                Matcher m = DC_ENTRY.matcher(s);
                if (m.matches()) {
                    Map<String, Long> v = new LinkedHashMap<>();
                    v.put("nodes", Long.parseLong(m.group(2)));
                    v.put("down", Long.parseLong(m.group(3)));
                    dcs.put(m.group(1), v);
                }
            } else if (section.startsWith("Database versions")) {
                Matcher m = LIST_ENTRY.matcher(s);
                if (m.matches()) {
                    versions.put(m.group(1).strip(), endpoints(m.group(2)));
                }
            } else if (section.startsWith("Keyspaces")) {
                int arrow = s.indexOf(" -> ");
                if (arrow > 0) {
                    keyspaces.put(s.substring(0, arrow).strip(), s.substring(arrow + 4).strip());
                }
            }
        }
        if (name == null || partitioner == null) {
            throw new NodetoolParseException("nodetool describecluster output has no 'Name:' or 'Partitioner:' line: "
                    + StatusParser.firstLine(output));
        }
        return new ClusterDescription(name, snitch, dynamic, partitioner, schema, dcs, versions, keyspaces);
    }

    private static String value(String s) {
        return s.substring(s.indexOf(':') + 1).strip();
    }

    private static List<String> endpoints(String inside) {
        List<String> out = new ArrayList<>();
        for (String e : inside.split("[,\\s]+")) {
            if (!e.isBlank()) {
                out.add(e.strip());
            }
        }
        return out;
    }
}
