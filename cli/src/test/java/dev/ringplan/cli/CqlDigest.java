package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringplan.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Digests of whole tables read back with the driver from a sandbox cluster. */
final class CqlDigest {
    private CqlDigest() {
    }

    /**
     * Runs a test write ({@code INSERT}, {@code DELETE}, {@code TRUNCATE}), again up to 5 times
     * when the coordinator times out: right after a backup (flushes, snapshots, compactions) a
     * loaded 2-core machine can miss the node's 2 s write timeout. The tests' writes are
     * idempotent or counted by digest after the fact.
     */
    static void write(CqlSession session, String cql) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                session.execute(cql);
                return;
            } catch (com.datastax.oss.driver.api.core.servererrors.QueryExecutionException
                     | com.datastax.oss.driver.api.core.DriverTimeoutException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(1000L * attempt);
            }
        }
    }

    /** A session on sandbox {@code name} of the repository. */
    static CqlSession session(String sandbox) throws Exception {
        return new Sandbox(Cli.ROOT, sandbox).openSession();
    }

    /**
     * {@code rows:sha256} over the sorted textual rows of {@code table}, read at consistency
     * ALL (every replica answers, so a node that lost data cannot hide behind another).
     */
    static String digest(CqlSession session, String table) throws Exception {
        return digest(session, table, DefaultConsistencyLevel.ALL);
    }

    /**
     * {@code rows:sha256} over the sorted textual rows of {@code table}, read at {@code consistency}
     * (LOCAL_ONE: what the session's local datacenter alone answers).
     */
    static String digest(CqlSession session, String table, DefaultConsistencyLevel consistency) throws Exception {
        List<String> rows = new ArrayList<>();
        SimpleStatement st = SimpleStatement.newInstance("SELECT * FROM " + table)
                .setConsistencyLevel(consistency).setPageSize(1000);
        for (Row r : session.execute(st)) {
            rows.add(r.getFormattedContents());
        }
        rows.sort(String::compareTo);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (String r : rows) {
            md.update(r.getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
        }
        return rows.size() + ":" + HexFormat.of().formatHex(md.digest());
    }

    /** Same as {@link #digest(CqlSession, String)} on a fresh session of {@code sandbox}; the table must have rows. */
    static String digest(String sandbox, String table) throws Exception {
        try (CqlSession s = session(sandbox)) {
            String d = digest(s, table);
            assertTrue(!d.startsWith("0:"), table + " on " + sandbox + " has rows");
            return d;
        }
    }
}
