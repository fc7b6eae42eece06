package dev.ringplan.engine.plan;

import dev.ringplan.engine.diag.SourcePos;
import java.util.List;

/**
 * The rolling settings of a task or block besides a numeric {@code serial}: a batching strategy
 * read from the cluster when the block starts, the keyspaces it considers, the down-node guard
 * and Ansible's {@code max_fail_percentage}. Null on a task that sets none of them.
 *
 * @param strategy          {@code topology}, {@code rack} or {@code dc} ({@code serial:} written as
 *                          that word), or null for a numeric or absent {@code serial}
 * @param strategyPos       where that {@code serial} value is, or null
 * @param keyspaces         {@code keyspaces:} for {@code serial: topology}: the keyspaces whose
 *                          replicas are kept apart; empty: the default set (see docs/plan-language.md)
 * @param ignoreDownNodes   {@code ignore_down_nodes:} as written, or null when not written. The block
 *                          refuses to start while a node of the cluster is down unless it is true:
 *                          by default with a strategy (it reads the ring anyway), and with a numeric
 *                          {@code serial} only when written false (a numeric {@code serial} also
 *                          batches hosts that are no Cassandra node, and plans that start nodes
 *                          they stopped themselves use it)
 * @param maxFailPercentage {@code max_fail_percentage:} 0..100 (a batch whose failed share of hosts
 *                          exceeds it, strictly, aborts the rest of the block), or null
 * @param pos               where the task or block starts (for run-time messages)
 */
public record Rolling(String strategy, SourcePos strategyPos, List<String> keyspaces, Boolean ignoreDownNodes,
                      Double maxFailPercentage, SourcePos pos) {

    /** The {@code serial} words that pick a strategy, in the order messages list them. */
    public static final List<String> STRATEGIES = List.of("topology", "rack", "dc");

    /** Copies the keyspace list. */
    public Rolling {
        keyspaces = List.copyOf(keyspaces);
    }
}
