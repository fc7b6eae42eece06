package dev.ringplan.modules.nodetool;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One node line of {@code nodetool status}.
 *
 * @param datacenter  the datacenter section it appeared in
 * @param address     as printed: IPv4, IPv6 or (with {@code -r}) a host name
 * @param status      U/D/? letter
 * @param state       N/L/J/M letter
 * @param loadBytes   the Load column in bytes (approximate, nodetool rounds), null when {@code ?}
 * @param tokenCount  the Tokens column (vnodes format), null in the token-per-node format
 * @param token       the Token column (token-per-node format, e.g. 1.2), null otherwise
 * @param owns        the Owns column in percent (35.4), null when {@code ?}
 * @param hostId      the Host ID column
 * @param rack        the Rack column
 */
public record StatusNode(String datacenter, String address, NodeStatus status, NodeState state, Long loadBytes,
                         Integer tokenCount, String token, Double owns, String hostId, String rack) {

    /** The two status letters as printed, e.g. {@code UN}. */
    public String code() {
        String s = status == NodeStatus.UP ? "U" : status == NodeStatus.DOWN ? "D" : "?";
        return s + state.name().charAt(0);
    }

    /** True when the node is Up and Normal ({@code UN}). */
    public boolean isUpNormal() {
        return status == NodeStatus.UP && state == NodeState.NORMAL;
    }

    /**
     * Plain map for registered data: {@code address, datacenter, rack, status} (up/down/unknown),
     * {@code state} (normal/leaving/joining/moving), {@code code} (UN), {@code load_bytes},
     * {@code tokens} (count or null), {@code token} (single token or null), {@code owns},
     * {@code host_id}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", address);
        m.put("datacenter", datacenter);
        m.put("rack", rack);
        m.put("status", status.key());
        m.put("state", state.key());
        m.put("code", code());
        m.put("load_bytes", loadBytes);
        m.put("tokens", tokenCount == null ? null : tokenCount.longValue());
        m.put("token", token);
        m.put("owns", owns);
        m.put("host_id", hostId);
        return m;
    }
}
