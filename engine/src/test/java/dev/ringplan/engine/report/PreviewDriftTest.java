package dev.ringplan.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ringplan.engine.report.SavedPreview.HostFacts;
import dev.ringplan.engine.report.SavedPreview.InventoryFacts;
import dev.ringplan.engine.report.SavedPreview.NodeEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link PreviewDrift} reports, and the secret digests of {@link Digests}. */
class PreviewDriftTest {
    private static NodeEntry node(String name, String status, String summary, boolean previewed, Map<String, String> facts) {
        return new NodeEntry(name, name.substring(0, name.indexOf('[')), "h1", status, summary, null, List.of(), false,
                previewed, facts);
    }

    @Test
    void nodes_statusSummaryFactsAddedRemoved_eachNamed() {
        List<NodeEntry> saved = List.of(
                node("snap[h1]", "changed", "take snapshot 'x'", true, Map.of()),
                node("arch[h1]", "changed", "archive 3 files", true, Map.of("files", "a", "bytes", "b")),
                node("probe[h1]", "ok", "UN", false, Map.of()),
                node("gone[h1]", "ok", "", true, Map.of()));
        List<NodeEntry> now = List.of(
                node("snap[h1]", "ok", "snapshot 'x' exists", true, Map.of()),
                node("arch[h1]", "changed", "archive 3 files", true, Map.of("files", "c", "bytes", "b")),
                node("probe[h1]", "ok", "UN at another load", false, Map.of()),
                node("new[h1]", "ok", "", true, Map.of()));
        assertEquals(List.of(
                "task snap[h1]: preview said changed (take snapshot 'x'), now ok: snapshot 'x' exists",
                "task arch[h1]: what the check read differs from the saved preview's (files)",
                "task gone[h1]: in the saved preview, not in the plan now",
                "task new[h1]: not in the saved preview"), PreviewDrift.nodes(saved, now));
    }

    @Test
    void inventory_varGroupHostAndSecret_namedWithoutValues() {
        InventoryFacts saved = new InventoryFacts("inv.yaml", Map.of(
                "h1", new HostFacts(List.of("dc1"), Map.of("a", "1", "b", "2")),
                "h2", new HostFacts(List.of("dc1"), Map.of())), "s1");
        InventoryFacts now = new InventoryFacts("inv.yaml", Map.of(
                "h1", new HostFacts(List.of("dc2"), Map.of("a", "9", "c", "3"))), "s2");
        assertEquals(List.of(
                "inventory: host h1 groups were [dc1], now [dc2]",
                "inventory: host h1 variable a changed",
                "inventory: host h1 variable b was removed",
                "inventory: host h1 variable c was added",
                "inventory: host h2 was removed",
                "inventory: a secret variable changed, was added or was removed (only a salted digest of the secret"
                        + " values is saved, so which one is not known)"), PreviewDrift.inventory(saved, now));
    }

    @Test
    void secretDigest_sameValueAndSalt_equal_otherSalt_differs() {
        String salt = Digests.newSalt();
        Map<String, Object> v = Map.of("db_password", "hunter2", "api_key", "k");
        assertEquals(Digests.secret(v, salt), Digests.secret(Map.of("api_key", "k", "db_password", "hunter2"), salt));
        assertNotEquals(Digests.secret(v, salt), Digests.secret(v, Digests.newSalt()));
        assertNotEquals(Digests.secret(v, salt), Digests.secret(Map.of("db_password", "hunter3", "api_key", "k"), salt));
    }
}
