package dev.ringplan.sandbox;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The sandbox's sample data: keyspaces {@code ringplan_demo} (tables users, events) and
 * {@code ringplan_shop} (products, orders) with RF = min(2, nodes), filled with deterministic
 * rows. Idempotent: schema statements use IF NOT EXISTS and rows are upserts of the same keys and
 * values, so a second load neither fails nor adds rows.
 *
 * <p>In the default datacenter ({@value NodeFiles#DEFAULT_DATACENTER}) the keyspaces use
 * SimpleStrategy and rows are written at QUORUM. A sandbox placed in a named datacenter is meant
 * to be one datacenter of several, where SimpleStrategy is wrong (it ignores datacenters, so a
 * datacenter that joins would at once own replicas it has no data for): there the keyspaces use
 * NetworkTopologyStrategy with that datacenter only, and rows are written at LOCAL_QUORUM, which
 * still succeeds once the keyspaces also replicate to another datacenter that is down.
 */
final class SampleData {
    /** Row counts per {@code keyspace.table}, in load order. */
    static final Map<String, Integer> ROWS;

    static {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("ringplan_demo.users", 2000);
        m.put("ringplan_demo.events", 5000);
        m.put("ringplan_shop.products", 200);
        m.put("ringplan_shop.orders", 3000);
        ROWS = java.util.Collections.unmodifiableMap(m);
    }

    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    private static final String[] COUNTRIES = {"FR", "DE", "US", "JP", "BR", "IN", "NG", "CA"};
    private static final String[] KINDS = {"login", "view", "search", "add_to_cart", "logout"};
    private static final int IN_FLIGHT = 64;

    private SampleData() {
    }

    /**
     * The CQL that creates the schema for a sandbox of {@code nodes} nodes in {@code datacenter}
     * (keyspaces first).
     */
    static List<String> schema(int nodes, String datacenter) {
        int rf = Math.min(2, nodes);
        String repl = NodeFiles.DEFAULT_DATACENTER.equals(datacenter)
                ? "{'class': 'SimpleStrategy', 'replication_factor': " + rf + "}"
                : "{'class': 'NetworkTopologyStrategy', '" + datacenter + "': " + rf + "}";
        return List.of(
                "CREATE KEYSPACE IF NOT EXISTS ringplan_demo WITH replication = " + repl,
                "CREATE KEYSPACE IF NOT EXISTS ringplan_shop WITH replication = " + repl,
                "CREATE TABLE IF NOT EXISTS ringplan_demo.users (user_id int PRIMARY KEY, name text, email text,"
                        + " country text, created_at timestamp)",
                "CREATE TABLE IF NOT EXISTS ringplan_demo.events (user_id int, seq int, kind text, payload text,"
                        + " at timestamp, PRIMARY KEY (user_id, seq))",
                "CREATE TABLE IF NOT EXISTS ringplan_shop.products (sku text PRIMARY KEY, title text, price decimal)",
                "CREATE TABLE IF NOT EXISTS ringplan_shop.orders (order_id uuid PRIMARY KEY, customer_id int,"
                        + " sku text, quantity int, total decimal, placed_at timestamp)");
    }

    /**
     * Creates the schema and writes every row at QUORUM (LOCAL_QUORUM in a named datacenter).
     *
     * @param session    a session whose local datacenter is {@code datacenter}
     * @param nodes      the sandbox's node count
     * @param datacenter the sandbox's datacenter
     * @return rows written per {@code keyspace.table}
     * @throws ExecutionException when a statement fails (the cause is the driver's exception)
     */
    static Map<String, Integer> load(CqlSession session, int nodes, String datacenter, Consumer<String> log)
            throws ExecutionException, InterruptedException {
        long t0 = System.nanoTime();
        ConsistencyLevel cl = NodeFiles.DEFAULT_DATACENTER.equals(datacenter) ? ConsistencyLevel.QUORUM
                : ConsistencyLevel.LOCAL_QUORUM;
        for (String cql : schema(nodes, datacenter)) {
            session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
        }
        log.accept(String.format("  schema ready (%.1f s)", (System.nanoTime() - t0) / 1e9));
        PreparedStatement users = session.prepare("INSERT INTO ringplan_demo.users (user_id, name, email, country,"
                + " created_at) VALUES (?, ?, ?, ?, ?)");
        PreparedStatement events = session.prepare("INSERT INTO ringplan_demo.events (user_id, seq, kind, payload,"
                + " at) VALUES (?, ?, ?, ?, ?)");
        PreparedStatement products = session.prepare("INSERT INTO ringplan_shop.products (sku, title, price)"
                + " VALUES (?, ?, ?)");
        PreparedStatement orders = session.prepare("INSERT INTO ringplan_shop.orders (order_id, customer_id, sku,"
                + " quantity, total, placed_at) VALUES (?, ?, ?, ?, ?, ?)");
        Map<String, Integer> written = new LinkedHashMap<>();
        write(session, "ringplan_demo.users", i -> users.bind(i, "User " + i, "user" + i + "@example.com",
                COUNTRIES[i % COUNTRIES.length], BASE.plusSeconds(60L * i)), cl, written, log);
        write(session, "ringplan_demo.events", i -> events.bind(i % 500, i / 500, KINDS[i % KINDS.length],
                "{\"n\":" + i + "}", BASE.plusSeconds(10L * i)), cl, written, log);
        write(session, "ringplan_shop.products", i -> products.bind(sku(i), "Product " + i, price(i)), cl, written, log);
        write(session, "ringplan_shop.orders", i -> {
            int qty = 1 + i % 5;
            int product = (i * 7) % ROWS.get("ringplan_shop.products");
            return orders.bind(orderId(i), i % ROWS.get("ringplan_demo.users"), sku(product), qty,
                    price(product).multiply(BigDecimal.valueOf(qty)), BASE.plusSeconds(600L * i));
        }, cl, written, log);
        return written;
    }

    /** The deterministic id of order {@code i} (a name-based UUID of {@code order-<i>}). */
    static UUID orderId(int i) {
        return UUID.nameUUIDFromBytes(("order-" + i).getBytes(StandardCharsets.UTF_8));
    }

    private static String sku(int i) {
        return String.format("SKU-%05d", i);
    }

    private static BigDecimal price(int i) {
        return BigDecimal.valueOf(199 + (i * 37L) % 10000, 2);
    }

    private static void write(CqlSession session, String table, IntFunction<BoundStatement> row,
                              ConsistencyLevel cl, Map<String, Integer> written, Consumer<String> log)
            throws ExecutionException, InterruptedException {
        int n = ROWS.get(table);
        long t0 = System.nanoTime();
        Semaphore permits = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<AsyncResultSet>> pending = new ArrayList<>();
        CompletableFuture<Void> firstError = new CompletableFuture<>();
        for (int i = 0; i < n && !firstError.isDone(); i++) {
            permits.acquire();
            CompletionStage<AsyncResultSet> f = session.executeAsync(row.apply(i)
                    .setConsistencyLevel(cl).setTimeout(Duration.ofSeconds(30)));
            CompletableFuture<AsyncResultSet> cf = f.toCompletableFuture();
            cf.whenComplete((rs, err) -> {
                permits.release();
                if (err != null) {
                    firstError.completeExceptionally(err);
                }
            });
            pending.add(cf);
        }
        CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).exceptionally(t -> null).get();
        if (firstError.isCompletedExceptionally()) {
            firstError.get();
        }
        written.put(table, n);
        log.accept(String.format("  %s: %d rows (%.1f s)", table, n, (System.nanoTime() - t0) / 1e9));
    }
}
