package dev.ringplan.engine.inventory;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.yaml.SafeYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code group_vars/} and {@code host_vars/} as Ansible's {@code host_group_vars} vars
 * plugin does: for a group or host the first of {@code NAME}, {@code NAME.yml},
 * {@code NAME.yaml}, {@code NAME.json} that exists; when it is a directory, every file in it
 * (recursively, sorted as Python sorts, hidden and {@code ~} backups skipped, extension
 * none/.yml/.yaml/.json), merged in that order. Problems (unreadable files, YAML errors, a file
 * that is not a mapping) are recorded in the shared {@link Diagnostics}.
 */
final class VarsFiles {
    private static final List<String> VARS_EXTENSIONS = List.of("", ".yml", ".yaml", ".json");

    private final Diagnostics diags;

    /** A reader recording problems in {@code diags}. */
    VarsFiles(Diagnostics diags) {
        this.diags = diags;
    }

    /**
     * Reads the variables of {@code entity} (a group or host name) from {@code dir} into
     * {@code into}, when a file or directory for it exists. Names that could leave {@code dir}
     * ({@code /}, {@code \}, {@code .}, {@code ..}) are skipped.
     */
    void load(Path dir, String entity, Map<String, Map<String, Object>> into) {
        if (entity.startsWith("/") || entity.contains("/") || entity.contains("\\") || entity.equals("..")
                || entity.equals(".") || !Files.isDirectory(dir)) {
            return;
        }
        List<Path> found = new ArrayList<>();
        for (String ext : VARS_EXTENSIONS) {
            Path p = dir.resolve(entity + ext);
            if (Files.exists(p)) {
                if (Files.isDirectory(p)) {
                    collectDir(p, found);
                } else {
                    found.add(p);
                }
                break;
            }
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Path f : found) {
            merged.putAll(loadFile(f));
        }
        if (!found.isEmpty()) {
            into.put(entity, merged);
        }
    }

    private void collectDir(Path dir, List<Path> found) {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted((a, b) -> Inventory.comparePython(a.getFileName().toString(),
                    b.getFileName().toString())).toList();
        } catch (IOException e) {
            diags.error(SourcePos.ofFile(dir.toString()), "cannot list vars directory: " + e.getMessage());
            return;
        }
        for (Path c : children) {
            String n = c.getFileName().toString();
            if (n.startsWith(".") || n.endsWith("~")) {
                continue;
            }
            int dot = n.lastIndexOf('.');
            String ext = dot > 0 ? n.substring(dot) : "";
            if (Files.isDirectory(c) && ext.isEmpty()) {
                collectDir(c, found);
            } else if (Files.isRegularFile(c) && (ext.isEmpty() || VARS_EXTENSIONS.contains(ext))) {
                found.add(c);
            }
        }
    }

    private Map<String, Object> loadFile(Path f) {
        String name = f.toString();
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            String text = SafeYaml.readUtf8(f, "vars file");
            Node root = SafeYaml.compose(name, text);
            if (root == null || YamlValues.isNull(root)) {
                return out;
            }
            if (!(root instanceof MappingNode m)) {
                diags.error(SafeYaml.pos(name, root), "a vars file must hold a mapping of variables, found "
                        + SafeYaml.kind(root));
                return out;
            }
            YamlValues fileValues = new YamlValues(name, diags);
            for (YamlValues.Entry e : fileValues.entries(m)) {
                if (e.key() instanceof String k) {
                    out.put(k, fileValues.value(e.value()));
                } else {
                    diags.error(SafeYaml.pos(name, e.keyNode()), "variable name " + e.key() + " must be a string");
                }
            }
        } catch (InvalidInputException e) {
            diags.addAll(e.diagnostics());
        }
        return out;
    }
}
