package dev.ringplan.modules.nodetool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsed {@code nodetool ring}: every token line, by datacenter, in printed (token) order.
 *
 * @param datacenters datacenter names, in printed order
 * @param entries     token lines, in printed order
 */
public record NodetoolRing(List<String> datacenters, List<RingEntry> entries) {

    /** Copies the lists. */
    public NodetoolRing {
        datacenters = List.copyOf(datacenters);
        entries = List.copyOf(entries);
    }

    /** Tokens (as text) per address, addresses in order of first appearance, tokens in printed order. */
    public Map<String, List<String>> tokensByAddress() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (RingEntry e : entries) {
            m.computeIfAbsent(e.address(), a -> new ArrayList<>()).add(e.token());
        }
        return m;
    }

    /** The tokens of {@code address}, empty when it does not appear. */
    public List<String> tokensOf(String address) {
        return tokensByAddress().getOrDefault(address, List.of());
    }

    /**
     * Plain map for registered data: {@code datacenters} (names), {@code tokens_by_address}
     * ({@code {address: [token, ...]}}) and {@code nodes}: one entry per address with
     * {@code address, datacenter, rack, status} (up/down/unknown or null), {@code state},
     * {@code load_bytes}, {@code owns}, {@code tokens} (list of token strings); values from the
     * address's last line.
     */
    public Map<String, Object> toMap() {
        Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
        Map<String, Object> byAddr = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : tokensByAddress().entrySet()) {
            byAddr.put(e.getKey(), new ArrayList<>(e.getValue()));
        }
        for (RingEntry e : entries) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("address", e.address());
            n.put("datacenter", e.datacenter());
            n.put("rack", e.rack());
            n.put("status", e.status() == null ? null : e.status().key());
            n.put("state", e.state().key());
            n.put("load_bytes", e.loadBytes());
            n.put("owns", e.owns());
            n.put("tokens", byAddr.get(e.address()));
            nodes.put(e.address(), n);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("datacenters", new ArrayList<>(datacenters));
        m.put("tokens_by_address", byAddr);
        m.put("nodes", new ArrayList<>(nodes.values()));
        return m;
    }
}
