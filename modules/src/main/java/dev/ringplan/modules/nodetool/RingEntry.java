package dev.ringplan.modules.nodetool;

/**
 * One token line of {@code nodetool ring}.
 *
 * @param datacenter the datacenter section it appeared in
 * @param address    as printed (IPv4, IPv6, host name)
 * @param rack       the Rack column (may be a long name such as {@code rack22.somedomain.com})
 * @param status     the Status column (Up/Down/?), or null when the line has no Status column
 * @param state      the State column (Normal/Leaving/Joining/Moving)
 * @param loadBytes  the Load column in bytes (approximate), null when {@code ?}
 * @param owns       the Owns column in percent, null when {@code ?}
 * @param token      the token, as text: RandomPartitioner tokens (up to 2^127) do not fit a long
 */
public record RingEntry(String datacenter, String address, String rack, NodeStatus status, NodeState state,
                        Long loadBytes, Double owns, String token) {
}
