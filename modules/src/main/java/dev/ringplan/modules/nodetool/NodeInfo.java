package dev.ringplan.modules.nodetool;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed {@code nodetool info} (selected fields; every {@code key : value} line is kept in
 * {@code fields}).
 *
 * @param id                    the host ID
 * @param gossipActive          "Gossip active"
 * @param nativeTransportActive "Native Transport active"
 * @param loadBytes             "Load" in bytes (approximate), null when absent
 * @param datacenter            "Data Center"
 * @param rack                  "Rack"
 * @param tokenCount            number of tokens: N from "(invoke with -T/--tokens to see all N
 *                              tokens)" (3.x+ with vnodes), or the number of {@code Token :} lines
 *                              that carry a token; null when not joined or absent
 * @param uptimeSeconds         "Uptime (seconds)", null when absent
 * @param fields                every {@code key : value} line, last one wins for repeated keys
 */
public record NodeInfo(String id, Boolean gossipActive, Boolean nativeTransportActive, Long loadBytes,
                       String datacenter, String rack, Integer tokenCount, Long uptimeSeconds,
                       Map<String, String> fields) {

    /**
     * Plain map: {@code id, gossip_active, native_transport_active, load_bytes, datacenter, rack,
     * token_count, uptime_seconds, fields}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("gossip_active", gossipActive);
        m.put("native_transport_active", nativeTransportActive);
        m.put("load_bytes", loadBytes);
        m.put("datacenter", datacenter);
        m.put("rack", rack);
        m.put("token_count", tokenCount == null ? null : tokenCount.longValue());
        m.put("uptime_seconds", uptimeSeconds);
        m.put("fields", new LinkedHashMap<>(fields));
        return m;
    }
}
