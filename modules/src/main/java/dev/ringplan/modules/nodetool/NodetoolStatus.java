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
}
