package dev.ringplan.engine.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.exec.NodeResult;
import dev.ringplan.engine.exec.RunReport;
import dev.ringplan.engine.git.PlanCommit;
import dev.ringplan.engine.inventory.Inventory;
import dev.ringplan.engine.secret.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A saved preview ({@code ringplan plan -o FILE}, as {@code terraform plan -out}): what the run
 * would change per (task, host) and everything the prediction depended on, so that
 * {@code ringplan apply FILE} runs exactly that plan and refuses when any of it drifted
 * ({@link PreviewDrift}). Written as JSON, format {@value #FORMAT} version {@value #VERSION}
 * (docs/saved-previews.md has the field reference). Secrets are never stored: a secret
 * {@code -e} variable is listed by name and must be given again to apply; secret values (of
 * {@code -e} and of the inventory) enter only a salted PBKDF2 digest ({@link Digests#secret}).
 *
 * @param format        always {@value #FORMAT}
 * @param formatVersion {@value #VERSION}
 * @param created       when the file was written (ISO-8601 UTC)
 * @param salt          base64 salt of this file's secret digests
 * @param run           the preview's run id and start: the applied run renders {@code run.id}
 *                      and {@code run.timestamp} with them, so templated names are the ones previewed
 * @param plan          the plan file: path as given, SHA-256 of its bytes, git facts
 * @param inventory     the inventory as parsed (group_vars/host_vars included)
 * @param variables     the {@code -e} variables
 * @param selection     {@code --limit}, {@code --tags}, {@code --skip-tags}
 * @param changes       one entry per (task, host), in plan order
 * @param stats         the RECAP's counters summed over hosts
 */
public record SavedPreview(String format, int formatVersion, String created, String salt, RunFacts run,
                           PlanFacts plan, InventoryFacts inventory, Variables variables, Selection selection,
                           List<NodeEntry> changes, Map<String, Integer> stats) {
    /** The value of {@code format}. */
    public static final String FORMAT = "ringplan-saved-preview";
    /** The version this code writes and reads. */
    public static final int VERSION = 1;
    /** Registered keys the engine adds to every result: not facts of the module's check. */
    private static final Set<String> ENGINE_KEYS = Set.of("changed", "failed", "status", "msg", "would_change",
            "failed_when_result", "skipped");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The preview's run: id and start (ISO-8601). */
    public record RunFacts(String id, String started) {
    }

    /** The plan file: path as given on the command line, name, SHA-256 of its bytes, git facts. */
    public record PlanFacts(String file, String name, String sha256, String commit, String branch, boolean dirty) {
    }

    /**
     * The inventory as parsed: per host its groups and a SHA-256 of each non-secret variable's
     * value; the secret variables' values of every host in one salted digest.
     */
    public record InventoryFacts(String file, Map<String, HostFacts> hosts, String secretsDigest) {
    }

    /** One host of the inventory: groups, and SHA-256 per non-secret variable. */
    public record HostFacts(List<String> groups, Map<String, String> vars) {
    }

    /**
     * The {@code -e} variables: the non-secret ones as given, each secret one (by name, or
     * holding a secret-named key) as {@link Secrets#MASK}, listed in {@code secretNames}, its
     * value only in {@code secretsDigest}.
     */
    public record Variables(Map<String, Object> extraVars, List<String> secretNames, String secretsDigest) {
    }

    /** The host and tag selection of the preview. */
    public record Selection(String limit, List<String> tags, List<String> skipTags) {
    }

    /**
     * One (task, host) as previewed.
     *
     * @param node      {@code task[host]}
     * @param status    ok, changed, unknown, skipped, failed (ignored only), ...
     * @param summary   the preview's message (masked)
     * @param diff      the diff it showed, or null
     * @param commands  the commands it would run
     * @param ignored   a failure {@code ignore_errors} tolerated
     * @param previewed true when the module only previewed (check); false for a node that ran in
     *                  check mode too (read-only modules, debug/assert/fail) or was skipped, whose
     *                  status alone is compared
     * @param facts     what the check read: SHA-256 per key of the data it observed (what
     *                  {@code register} would store), empty when not previewed
     */
    public record NodeEntry(String node, String task, String host, String status, String summary, String diff,
                            List<String> commands, boolean ignored, boolean previewed, Map<String, String> facts) {
    }

    /**
     * The saved preview of a check-mode run.
     *
     * @param planFile    the plan file as given
     * @param planBytes   its content as read for the preview
     * @param git         its git facts
     * @param inventoryFile the inventory file as given
     * @param plan        the compiled plan (its extra vars unmasked: only digests of secrets are kept)
     * @param selection   the host and tag selection
     * @param masked      the run's report as the listeners saw it (secrets masked)
     */
    public static SavedPreview of(Path planFile, byte[] planBytes, PlanCommit git, Path inventoryFile,
                                  CompiledPlan plan, Selection selection, RunReport masked) {
        String salt = Digests.newSalt();
        Secrets names = Secrets.of(plan.plan().varsSecret());
        List<NodeEntry> nodes = new ArrayList<>();
        for (NodeResult r : masked.results()) {
            nodes.add(entry(r));
        }
        Map<String, Integer> stats = new LinkedHashMap<>();
        masked.counts().forEach((k, v) -> stats.put(k.label(), v));
        return new SavedPreview(FORMAT, VERSION, Instant.now().toString(), salt,
                new RunFacts(masked.options().runId(), masked.options().started().toString()),
                new PlanFacts(planFile.toString(), plan.plan().name(), Digests.sha256(planBytes), git.commit(),
                        git.branch(), git.dirty()),
                inventoryFacts(inventoryFile, plan.inventory(), names, salt),
                variables(plan.extraVars(), names, salt), selection, List.copyOf(nodes), stats);
    }

    /** The facts of {@code inventory} (hosts' groups, digests of variables), secrets digested with {@code salt}. */
    public static InventoryFacts inventoryFacts(Path file, Inventory inventory, Secrets names, String salt) {
        Map<String, HostFacts> hosts = new TreeMap<>();
        Map<String, Map<String, Object>> secrets = new TreeMap<>();
        for (String h : inventory.hosts()) {
            Map<String, String> vars = new TreeMap<>();
            inventory.hostVars(h).forEach((k, v) -> {
                if (isSecret(names, k, v)) {
                    secrets.computeIfAbsent(h, x -> new TreeMap<>()).put(k, v);
                } else {
                    vars.put(k, Digests.ofValue(v));
                }
            });
            hosts.put(h, new HostFacts(List.copyOf(inventory.groupsOf(h)), vars));
        }
        return new InventoryFacts(file.toString(), hosts, secrets.isEmpty() ? null : Digests.secret(secrets, salt));
    }

    /** The saved form of the {@code -e} variables {@code extra}, secrets digested with {@code salt}. */
    public static Variables variables(Map<String, Object> extra, Secrets names, String salt) {
        Map<String, Object> clear = new LinkedHashMap<>();
        Map<String, Object> secret = new TreeMap<>();
        extra.forEach((k, v) -> {
            if (isSecret(names, k, v)) {
                secret.put(k, v);
                clear.put(k, Secrets.MASK);
            } else {
                clear.put(k, v);
            }
        });
        return new Variables(clear, List.copyOf(secret.keySet()), secret.isEmpty() ? null : Digests.secret(secret, salt));
    }

    /** Secret by its name, or holding a secret-named key at any depth. */
    private static boolean isSecret(Secrets names, String key, Object value) {
        return names.isSecretName(key) || !Objects.equals(Secrets.mask(value), value);
    }

    /** The entry of one (masked) node result. */
    public static NodeEntry entry(NodeResult r) {
        boolean previewed = r.data().containsKey("would_change");
        Map<String, String> facts = new TreeMap<>();
        if (previewed) {
            r.data().forEach((k, v) -> {
                if (!ENGINE_KEYS.contains(k)) {
                    facts.put(k, Digests.ofValue(v));
                }
            });
        }
        return new NodeEntry(r.node().name(), r.node().task().id(), r.node().host(), r.status().label(), r.msg(),
                r.diff(), List.copyOf(r.commands()), r.ignored(), previewed, facts);
    }

    /** Writes this preview to {@code file} (parents created). */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        MAPPER.writeValue(file.toFile(), this);
    }

    /**
     * Reads a saved preview.
     *
     * @throws IOException when the file cannot be read, is not JSON of this format, or has
     *                     another format version (the message says which)
     */
    public static SavedPreview read(Path file) throws IOException {
        SavedPreview p;
        try {
            p = MAPPER.readValue(file.toFile(), SavedPreview.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is not a saved preview: " + e.getOriginalMessage(), e);
        }
        if (p == null || !FORMAT.equals(p.format())) {
            throw new IOException(file + " is not a saved preview (format is not '" + FORMAT + "')");
        }
        if (p.formatVersion() != VERSION) {
            throw new IOException(file + " has format version " + p.formatVersion() + "; this ringplan reads version "
                    + VERSION + ": run 'ringplan plan -o' again");
        }
        if (p.run() == null || p.plan() == null || p.inventory() == null || p.variables() == null
                || p.selection() == null || p.changes() == null) {
            throw new IOException(file + " is not a complete saved preview (run, plan, inventory, variables,"
                    + " selection and changes are required)");
        }
        return p;
    }
}
