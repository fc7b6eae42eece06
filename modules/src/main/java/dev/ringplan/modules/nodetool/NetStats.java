package dev.ringplan.modules.nodetool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsed {@code nodetool netstats} ({@link NetstatsParser}): the node's operation mode and its
 * streaming sessions.
 *
 * @param mode    the {@code Mode:} word: {@code STARTING}, {@code NORMAL}, {@code JOINING},
 *                {@code LEAVING}, {@code DECOMMISSIONED}, {@code MOVING}, {@code DRAINING},
 *                {@code DRAINED} (Cassandra's {@code StorageService.Mode})
 * @param plans   the stream plans listed, in printed order (none: {@code Not sending any streams.})
 * @param streams one entry per plan, peer and direction that has a summary line
 */
public record NetStats(String mode, List<Plan> plans, List<Stream> streams) {

    /** Copies the lists. */
    public NetStats {
        plans = List.copyOf(plans);
        streams = List.copyOf(streams);
    }

    /**
     * A stream plan: {@code Rebuild e93d7670-...}, {@code Repair ...}, {@code Bootstrap ...},
     * {@code Unbootstrap ...}, {@code Restore replica count ...}.
     *
     * @param operation the operation as printed
     * @param planId    the plan id
     * @param peers     the peers it has sessions with, as printed without the leading {@code /}
     */
    public record Plan(String operation, String planId, List<String> peers) {
        /** Copies the list. */
        public Plan {
            peers = List.copyOf(peers);
        }
    }

    /**
     * True when a plan has a session with a peer. 5.0.7 keeps listing a plan without sessions
     * ({@code Restore replica count <id>} alone, 20 minutes after the removenode that made it
     * finished), which streams nothing.
     */
    public boolean streaming() {
        return plans.stream().anyMatch(p -> !p.peers().isEmpty());
    }

    /**
     * One direction of one session: the {@code Receiving ...} or {@code Sending ...} summary line
     * under a peer.
     *
     * @param operation  the plan's operation
     * @param planId     the plan's id
     * @param peer       the peer's address as printed, without the leading {@code /}
     * @param direction  {@code receiving} or {@code sending}
     * @param filesTotal files to transfer
     * @param filesDone  files transferred
     * @param bytesTotal bytes to transfer
     * @param bytesDone  bytes transferred
     */
    public record Stream(String operation, String planId, String peer, String direction, long filesTotal,
                         long filesDone, long bytesTotal, long bytesDone) {
        /** Plain map with the component names in snake case. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("operation", operation);
            m.put("plan_id", planId);
            m.put("peer", peer);
            m.put("direction", direction);
            m.put("files_total", filesTotal);
            m.put("files_done", filesDone);
            m.put("bytes_total", bytesTotal);
            m.put("bytes_done", bytesDone);
            return m;
        }
    }

    /**
     * Plain map for registered data: {@code mode}, {@code streaming} ({@link #streaming()}),
     * {@code stream_plans} ({operation, plan_id, peers}), {@code streams} ({@link Stream#toMap}).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("streaming", streaming());
        List<Object> ps = new ArrayList<>();
        for (Plan p : plans) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("operation", p.operation());
            pm.put("plan_id", p.planId());
            pm.put("peers", new ArrayList<>(p.peers()));
            ps.add(pm);
        }
        m.put("stream_plans", ps);
        List<Object> ss = new ArrayList<>();
        for (Stream s : streams) {
            ss.add(s.toMap());
        }
        m.put("streams", ss);
        return m;
    }
}
