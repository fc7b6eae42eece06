package dev.ringplan.engine.report;

import dev.ringplan.engine.report.SavedPreview.HostFacts;
import dev.ringplan.engine.report.SavedPreview.InventoryFacts;
import dev.ringplan.engine.report.SavedPreview.NodeEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What changed between a saved preview and now, each difference one line naming what drifted
 * (Terraform's "saved plan is stale"): the inventory (a host, its groups, a variable), a secret
 * (which one is not known: only a digest was kept), and per (task, host) the previewed status,
 * summary, diff, commands and what the check read.
 */
public final class PreviewDrift {
    private PreviewDrift() {
    }

    /** Differences of the inventory, by host and variable name (values are never shown). */
    public static List<String> inventory(InventoryFacts saved, InventoryFacts now) {
        List<String> out = new ArrayList<>();
        TreeSet<String> hosts = new TreeSet<>(saved.hosts().keySet());
        hosts.addAll(now.hosts().keySet());
        for (String h : hosts) {
            HostFacts a = saved.hosts().get(h);
            HostFacts b = now.hosts().get(h);
            if (a == null || b == null) {
                out.add("inventory: host " + h + (a == null ? " was added" : " was removed"));
                continue;
            }
            if (!Objects.equals(a.groups(), b.groups())) {
                out.add("inventory: host " + h + " groups were " + a.groups() + ", now " + b.groups());
            }
            TreeSet<String> vars = new TreeSet<>(a.vars().keySet());
            vars.addAll(b.vars().keySet());
            for (String v : vars) {
                String x = a.vars().get(v);
                String y = b.vars().get(v);
                if (!Objects.equals(x, y)) {
                    out.add("inventory: host " + h + " variable " + v
                            + (x == null ? " was added" : y == null ? " was removed" : " changed"));
                }
            }
        }
        if (!Objects.equals(saved.secretsDigest(), now.secretsDigest())) {
            out.add("inventory: a secret variable changed, was added or was removed (only a salted digest of"
                    + " the secret values is saved, so which one is not known)");
        }
        return out;
    }

    /**
     * Differences per (task, host) between the saved entries and those of a new preview. A status
     * that differs is reported as {@code task t[h]: preview said changed (SUMMARY), now ok: SUMMARY};
     * for nodes that only previewed, a different summary, diff, command list or observed data
     * (by key) too. Nodes that ran in check mode as well (read-only) are compared by status.
     */
    public static List<String> nodes(List<NodeEntry> saved, List<NodeEntry> now) {
        List<String> out = new ArrayList<>();
        Map<String, NodeEntry> current = new LinkedHashMap<>();
        now.forEach(n -> current.put(n.node(), n));
        for (NodeEntry a : saved) {
            NodeEntry b = current.remove(a.node());
            if (b == null) {
                out.add("task " + a.node() + ": in the saved preview, not in the plan now");
                continue;
            }
            String d = node(a, b);
            if (d != null) {
                out.add(d);
            }
        }
        current.keySet().forEach(n -> out.add("task " + n + ": not in the saved preview"));
        return out;
    }

    private static String node(NodeEntry a, NodeEntry b) {
        String head = "task " + a.node() + ": ";
        if (!a.status().equals(b.status()) || a.ignored() != b.ignored()) {
            return head + "preview said " + a.status() + " (" + text(a.summary()) + "), now " + b.status() + ": "
                    + text(b.summary());
        }
        if (!a.previewed() || !b.previewed()) {
            return null;
        }
        if (!Objects.equals(a.summary(), b.summary())) {
            return head + "preview said " + a.status() + " (" + text(a.summary()) + "), now " + b.status() + " ("
                    + text(b.summary()) + ")";
        }
        if (!Objects.equals(a.diff(), b.diff())) {
            return head + "the diff differs from the saved preview's";
        }
        if (!Objects.equals(a.commands(), b.commands())) {
            return head + "would run other commands: " + b.commands() + " (saved: " + a.commands() + ")";
        }
        if (!Objects.equals(a.facts(), b.facts())) {
            TreeSet<String> keys = new TreeSet<>(a.facts().keySet());
            keys.addAll(b.facts().keySet());
            keys.removeIf(k -> Objects.equals(a.facts().get(k), b.facts().get(k)));
            return head + "what the check read differs from the saved preview's (" + String.join(", ", keys) + ")";
        }
        return null;
    }

    private static String text(String s) {
        if (s == null) {
            return "";
        }
        String x = s.replace('\n', ' ').strip();
        return x.length() > 300 ? x.substring(0, 300) + "…" : x;
    }
}
