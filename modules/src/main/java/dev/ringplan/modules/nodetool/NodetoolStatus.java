package dev.ringplan.modules.nodetool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parsed {@code nodetool status}: the datacenters in printed order and every node line.
 *
 * @param datacenters datacenter names, in printed order
 * @param nodes       node lines, in printed order
 */
public record NodetoolStatus(List<String> datacenters, List<StatusNode> nodes) {

    /** Copies the lists. */
    public NodetoolStatus {
        datacenters = List.copyOf(datacenters);
        nodes = List.copyOf(nodes);
    }

    /** The node line whose address is {@code address}, if any. */
    public Optional<StatusNode> node(String address) {
        return nodes.stream().filter(n -> n.address().equals(address)).findFirst();
    }

    /** The nodes of datacenter {@code dc}. */
    public List<StatusNode> nodesIn(String dc) {
        return nodes.stream().filter(n -> n.datacenter().equals(dc)).toList();
    }

    /** Plain map for registered data: {@code datacenters} (names), {@code nodes} (see {@link StatusNode#toMap}). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("datacenters", new ArrayList<>(datacenters));
        List<Object> ns = new ArrayList<>();
        for (StatusNode n : nodes) {
            ns.add(n.toMap());
        }
        m.put("nodes", ns);
        return m;
    }

    /**
     * The same status with each datacenter's nodes ordered by address (IP addresses numerically,
     * IPv4 before IPv6, then names), datacenters as listed. nodetool prints a datacenter's nodes in
     * the iteration order of a hash map, which the JMX path cannot reproduce; the module registers
     * this order on both paths.
     */
    public NodetoolStatus sorted() {
        List<StatusNode> out = new ArrayList<>();
        for (String dc : datacenters) {
            List<StatusNode> in = new ArrayList<>(nodesIn(dc));
            in.sort(java.util.Comparator.comparing(n -> addressKey(n.address())));
            out.addAll(in);
        }
        for (StatusNode n : nodes) {
            if (!datacenters.contains(n.datacenter())) {
                out.add(n);
            }
        }
        return new NodetoolStatus(datacenters, out);
    }

    /** A sort key: IPv4 "0" + 8 hex digits, IPv6 "1" + 32 hex digits, else "2" + the text. */
    private static String addressKey(String a) {
        if (a.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            StringBuilder sb = new StringBuilder("0");
            for (String p : a.split("\\.")) {
                sb.append(String.format("%02x", Integer.parseInt(p) & 0xff));
            }
            return sb.toString();
        }
        if (a.contains(":") && a.matches("[0-9A-Fa-f:.%a-zA-Z]+")) {
            try {
                byte[] b = java.net.InetAddress.getByName(a).getAddress();
                StringBuilder sb = new StringBuilder(b.length == 4 ? "0" : "1");
                for (byte x : b) {
                    sb.append(String.format("%02x", x & 0xff));
                }
                return sb.toString();
            } catch (java.net.UnknownHostException e) {
                return "2" + a;
            }
        }
        return "2" + a;
    }
}
