package dev.ringplan.modules.bulkload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadRecordTest {
    private static final SnapshotTables.TableFiles USERS = new SnapshotTables.TableFiles("ks", "users", 0,
            List.of("/d/ks/users-1/snapshots/m/nb-1-big-Data.db"), 100, "f1");

    private static LoadRecord.Load load(String table, int dir, String fp, String target, long bytes) {
        return new LoadRecord.Load(table, dir, fp, target, "id1", 2, bytes, "2026-12-02T14:00:00Z");
    }

    @Test
    void contains_keyedByTableDataDirFingerprintAndTarget() {
        LoadRecord r = LoadRecord.empty("m").with(load("ks.users", 0, "f1", "Target", 100));

        assertTrue(r.contains(USERS, "Target", "id1"));
        assertFalse(r.contains(USERS, "Other Cluster", "id1"));
        assertFalse(r.contains(USERS, "Target", "id2"), "the table created again on the target");
        assertFalse(r.contains(new SnapshotTables.TableFiles("ks", "users", 1, USERS.files(), 100, "f1"), "Target", "id1"));
        assertFalse(r.contains(new SnapshotTables.TableFiles("ks", "users", 0, USERS.files(), 100, "f2"), "Target", "id1"),
                "a snapshot taken again under the same tag");
        assertFalse(r.contains(new SnapshotTables.TableFiles("ks", "events", 0, USERS.files(), 100, "f1"), "Target", "id1"));
    }

    @Test
    void with_sameKey_replaced() {
        LoadRecord r = LoadRecord.empty("m").with(load("ks.users", 0, "f1", "T", 100)).with(load("ks.a", 0, "f", "T", 1))
                .with(load("ks.users", 0, "f1", "T", 200));

        assertEquals(2, r.loads().size());
        assertEquals(200, r.loads().get(1).bytes());
    }

    @Test
    void toJson_parse_roundTrip() {
        LoadRecord r = LoadRecord.empty("m").with(load("ks.users", 0, "f1", "Target \"x\"", 100));

        String json = new String(r.toJson(), StandardCharsets.UTF_8);

        assertTrue(json.contains("\"snapshot\" : \"m\""), json);
        assertEquals(r, LoadRecord.parse(r.toJson(), "m"));
    }

    @Test
    void parse_foreignOrBroken_refused() {
        byte[] other = LoadRecord.empty("other").toJson();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoadRecord.parse(other, "m")).getMessage()
                .contains("snapshot 'm'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LoadRecord.parse("{".getBytes(StandardCharsets.UTF_8), "m")).getMessage().startsWith("not JSON"));
        byte[] lacking = "{\"snapshot\":\"m\",\"loads\":[{\"table\":\"ks.t\"}]}".getBytes(StandardCharsets.UTF_8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoadRecord.parse(lacking, "m")).getMessage()
                .contains("'data_dir'"));
    }
}
