package dev.ringplan.modules.nodetool;

import java.util.List;

/**
 * One {@code TokenRange(...)} of {@code nodetool describering}.
 *
 * @param startToken exclusive start token, as text
 * @param endToken   inclusive end token, as text
 * @param endpoints  replica addresses, in printed order (IPv4, IPv6 or names)
 */
public record TokenRange(String startToken, String endToken, List<String> endpoints) {
    /** Copies the list. */
    public TokenRange {
        endpoints = List.copyOf(endpoints);
    }
}
