package dev.ringplan.modules.tar;

import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The tables of a stored backup and the {@code schema.cql} Cassandra wrote into each table's
 * snapshot ({@code <ks>/<table>-<id>/schema.cql}, Cassandra 3.0+), for modules that restore tables
 * into a live schema. The backup is named by the task's {@code src} argument, as for
 * {@code tar action: extract} ({@link StoredBackup#locate}).
 */
public final class BackupSchemas {
    /** Largest schema.cql read (a table definition is a few KiB). */
    private static final int MAX_SCHEMA_BYTES = 1 << 20;

    private BackupSchemas() {
    }

    /**
     * One table of the backup.
     *
     * @param keyspace  keyspace name
     * @param table     table name
     * @param id        the table id the backup recorded (32 hex digits, from its directory name)
     * @param schemaCql the snapshot's schema.cql, or null when the backup has none for it
     */
    public record BackupTable(String keyspace, String table, String id, String schemaCql) {
        /** {@code <keyspace>.<table>}. */
        public String key() {
            return keyspace + "." + table;
        }
    }

    /**
     * The tables of the backup named by the task's {@code src} that pass the filters, in backup
     * order, with their schema.cql. Reads the manifest, then the backup once (an archive is read
     * through and checked; a differential backup only its schema files) when a table passes.
     *
     * @param keyspaces only tables of these keyspaces; empty for every keyspace
     * @param tables    only these {@code <ks>.<table>}; empty for every table
     * @throws ModuleException when the backup is missing or unreadable, a filter names what it
     *                         lacks, or a file does not match the manifest
     */
    public static Map<String, BackupTable> read(ModuleContext ctx, Collection<String> keyspaces,
                                                Collection<String> tables) throws ModuleException {
        StoredBackup st = StoredBackup.locate(ctx);
        RestorePlanner.checkHolds(st.manifest(), keyspaces, tables);
        Map<String, String[]> found = new LinkedHashMap<>();
        Map<String, String> schemaPaths = new LinkedHashMap<>();
        for (SnapshotManifest.FileEntry f : st.manifest().files()) {
            String[] seg = f.path().split("/", 3);
            Matcher m = seg.length == 3 ? RestorePlanner.TABLE_DIR.matcher(seg[1]) : null;
            if (m == null || !m.matches()) {
                continue;
            }
            String key = seg[0] + "." + m.group(1);
            if (!keyspaces.isEmpty() && !keyspaces.contains(seg[0]) || !tables.isEmpty() && !tables.contains(key)) {
                continue;
            }
            found.putIfAbsent(key, new String[] {seg[0], m.group(1), m.group(2)});
            if (seg[2].equals("schema.cql")) {
                schemaPaths.put(f.path(), key);
            }
        }
        Map<String, ByteArrayOutputStream> texts = new LinkedHashMap<>();
        if (!schemaPaths.isEmpty()) {
            st.reader(false).read(entry -> {
                if (!schemaPaths.containsKey(entry.path())) {
                    return null;
                }
                if (entry.size() > MAX_SCHEMA_BYTES) {
                    throw new ModuleException(entry.path() + " of " + st.source() + " is " + entry.size()
                            + " bytes; a schema.cql is expected to be a few KiB");
                }
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                texts.put(schemaPaths.get(entry.path()), b);
                return b;
            });
        }
        Map<String, BackupTable> out = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> e : found.entrySet()) {
            ByteArrayOutputStream b = texts.get(e.getKey());
            String[] v = e.getValue();
            out.put(e.getKey(), new BackupTable(v[0], v[1], v[2],
                    b == null ? null : b.toString(StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** How the backup named by the task's {@code src} is named in messages. */
    public static String source(ModuleContext ctx) throws ModuleException {
        return StoredBackup.locate(ctx).source();
    }
}
