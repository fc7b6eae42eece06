package dev.ringplan.modules.yamledit;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.DeclaredModule;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;
import dev.ringplan.modules.CassandraHost;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code yaml_edit}: sets and deletes keys of a YAML file on the host (typically
 * {@code cassandra.yaml}) by editing its text, so comments and layout survive and the diff shows
 * only the lines that change. The text work is {@link YamlTextEditor}'s; this class reads and
 * writes the file through the host's connection, makes the diff, the backup and the result.
 */
public final class YamlEditModule extends DeclaredModule {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final DateTimeFormatter BACKUP_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg(ArgDef.of("path", ArgDef.Type.STR, "Absolute path of the YAML file on the host; default the host var"
                    + " cassandra_yaml (default " + CassandraHost.DEFAULT_CASSANDRA_YAML + ")."))
            .arg(ArgDef.of("set", ArgDef.Type.MAP, "Keys to set: path -> value. Paths: a, a.b.c, a[0].b; values keep"
                    + " their YAML type (string, integer, float, boolean, null, list, mapping). Missing keys are created."))
            .arg(ArgDef.of("delete", ArgDef.Type.LIST, "Paths to remove; an absent path is not an error."))
            .arg(ArgDef.of("backup", ArgDef.Type.BOOL, "Before changing the file, copy it to <path>.<UTC yyyyMMddTHHmmssZ>.bak"
                    + " beside it.").withDefault(false))
            .arg(ArgDef.of("create", ArgDef.Type.BOOL, "Create the file when it does not exist (its directory must)."
                    + " Default false: a missing file fails the task.").withDefault(false))
            .requiredOneOf("set", "delete")
            .build();

    private static final ModuleDoc DOC = new ModuleDoc(
            "Set or delete keys of a YAML file (cassandra.yaml) in place, keeping its comments and layout.",
            """
            Edits the text of the file, not a re-dump of its data: a dump of the stock cassandra.yaml would
            rewrite ~1,900 lines of comments; yaml_edit changes only the lines of the keys it sets. Every
            byte of the untouched lines stays as it was: comments, blank lines, key order, indentation, quoting,
            CRLF or LF line endings, a UTF-8 byte order mark.

            Paths: mapping keys joined by dots, list indexes in brackets:
              cluster_name, num_tokens, initial_token, data_file_directories,
              server_encryption_options.internode_encryption, seed_provider[0].parameters[0].seeds,
              data_file_directories[1]. A key holding '.', '[' or ']' is written ["a.b"].

            set (path -> value):
            - Existing key: the old value's text is replaced. A string that replaces a double-quoted
              (single-quoted) string stays double-quoted (single-quoted), so seeds: "ip1,ip2" keeps its
              quotes; numbers and booleans are written plain so they keep their type. A list or mapping is
              written in the style of the old value: flow ([a, b]) if it was flow, block otherwise, indented
              like the old value. A value equal to the current one (as data: 16 and '16' differ, 'x' and "x"
              do not) changes nothing.
            - Missing key in an existing mapping: if a commented-out example of the key sits at the
              siblings' indentation among the mapping's entries (stock cassandra.yaml has "# initial_token:"),
              that line is replaced by the new entry (the comments around it stay); otherwise the entry is
              added after the mapping's last entry, at its siblings' indentation. Missing parents are
              created: mappings for keys, a one-item list for [0]; an index equal to a list's length
              appends. New collections are written in block style, indented like the rest of the file.
              Note: creating seed_provider[0].parameters[0].seeds in a file without seed_provider gives an
              entry without class_name; set the whole seed_provider value in that case.
            Scalars are written with snakeyaml's emitter rules, never pasted: a string that would read as
            something else (16, true, yes, null, ~), or that holds ': ', ' #', a leading '-', '[', '*', '&',
            '!', '%', '@', a line break, is quoted (line breaks as \\n inside double quotes).

            delete (list of paths): removes the key's lines (key line through its value's last line); an
            entry's trailing comments go with it, the comments above it stay. Deleting the last entry of a
            mapping (list) leaves {} ([]). An absent path is a no-op.

            Safety: the result is parsed again and compared with the file's data with the edits applied
            (a full structural comparison); any difference fails the task and nothing is written. Not
            supported (clear failure): aliases (*name) on the edited path, complex keys, several
            documents in one file. The file is read and written as UTF-8 through the host's connection
            (SFTP over SSH); the write replaces the file's content in place, so its owner and mode stay.

            Idempotent: when the file already holds the wanted data the task is ok and nothing is
            written (no backup either). Check mode reads the file only and returns the unified diff
            (--- a/<path> / +++ b/<path>, 3 lines of context) that apply would make; apply returns it too.
            """,
            """
            - id: transplant-tokens
              yaml_edit:
                path: "{{ cassandra_yaml }}"
                backup: true
                set:
                  cluster_name: "{{ target_cluster }}"
                  num_tokens: 16
                  initial_token: "{{ hostvars[source].ring.tokens | join(',') }}"
                  auto_bootstrap: false
                  seed_provider[0].parameters[0].seeds: "10.0.0.1,10.0.0.2"
                  data_file_directories: [/data1/cassandra, /data2/cassandra]
                delete: [allocate_tokens_for_local_replication_factor]
              register: yaml

            - id: no-vnodes-doc
              yaml_edit: { set: { "server_encryption_options.internode_encryption": all } }
            """);

    private static final ReturnSpec RETURNS = ReturnSpec.builder()
            .key(ReturnSpec.key("changed", ReturnSpec.Type.BOOL, "true when the file was (check mode: would be) changed"))
            .key(ReturnSpec.key("diff", ReturnSpec.Type.STR, "unified diff of the change (\"\" when none)"))
            .key(ReturnSpec.key("backup_file", ReturnSpec.Type.STR, "path of the backup written, or null").nullable())
            .key(ReturnSpec.key("path", ReturnSpec.Type.STR, "the file edited"))
            .build();

    /** The module (stateless). */
    public YamlEditModule() {
        super("yaml_edit", DOC, SPEC, RETURNS);
    }

    /** What an edit comes to, worked out before touching anything. */
    private record Planned(String path, boolean exists, byte[] oldBytes, byte[] newBytes, String diff,
                           List<String> changedPaths) {
        boolean changed() {
            return !Arrays.equals(oldBytes, newBytes) || !exists;
        }
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        Planned p = plan(ctx);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("changed", p.changed());
        data.put("diff", p.diff());
        data.put("backup_file", null);  // known after apply (named after the time of writing)
        data.put("path", p.path());
        if (!p.changed()) {
            return Preview.noChange(p.path() + " already holds the wanted values").withData(data);
        }
        return Preview.willChange("would " + describe(p), List.of("write " + p.path()))
                .withDiff(p.diff()).withData(data);
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        Planned p = plan(ctx);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("changed", p.changed());
        data.put("diff", p.diff());
        data.put("backup_file", null);
        data.put("path", p.path());
        if (!p.changed()) {
            return Result.ok(p.path() + " already holds the wanted values").withData(data);
        }
        Connection c = connection(ctx);
        List<String> commands = new ArrayList<>();
        try {
            if (p.exists() && ctx.args().bool("backup", false)) {
                String backup = backupName(c, p.path());
                c.writeAll(backup, p.oldBytes());
                data.put("backup_file", backup);
                commands.add("copy " + p.path() + " " + backup);
            }
            c.writeAll(p.path(), p.newBytes());
            commands.add("write " + p.path());
        } catch (ConnectionException e) {
            throw new ModuleException("yaml_edit: " + e.getMessage(), e);
        }
        ctx.log(describe(p));
        return Result.changed(describe(p)).withDiff(p.diff()).withCommands(commands).withData(data);
    }

    private static String describe(Planned p) {
        return (p.exists() ? "edit " : "create ") + p.path()
                + (p.changedPaths().isEmpty() ? "" : ": " + String.join(", ", p.changedPaths()));
    }

    private static Connection connection(ModuleContext ctx) throws ModuleException {
        try {
            return ctx.connection();
        } catch (ConnectionException e) {
            throw new ModuleException("yaml_edit: " + e.getMessage(), e);
        }
    }

    private Planned plan(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        String path = a.str("path");
        if (path == null || path.isBlank()) {
            path = CassandraHost.of(ctx).cassandraYaml();
        }
        if (!path.startsWith("/")) {
            throw new ModuleException("yaml_edit: path '" + path + "' must be absolute");
        }
        List<YamlTextEditor.Op> ops = ops(a);
        Connection c = connection(ctx);
        boolean exists;
        byte[] old;
        try {
            Optional<FileStat> st = c.stat(path);
            exists = st.isPresent();
            if (exists && st.get().isDirectory()) {
                throw new ModuleException("yaml_edit: " + path + " on " + ctx.host() + " is a directory");
            }
            if (!exists && !a.bool("create", false)) {
                throw new ModuleException("yaml_edit: " + path + " does not exist on " + ctx.host()
                        + " (give create: true to create it)");
            }
            old = exists ? c.readAll(path) : new byte[0];
        } catch (ConnectionException e) {
            throw new ModuleException("yaml_edit: " + e.getMessage(), e);
        }
        boolean bom = old.length >= 3 && old[0] == BOM[0] && old[1] == BOM[1] && old[2] == BOM[2];
        String text = decode(path, bom ? Arrays.copyOfRange(old, 3, old.length) : old);
        YamlTextEditor.Outcome out = YamlTextEditor.edit(path, text, ops);
        byte[] body = out.text().getBytes(StandardCharsets.UTF_8);
        byte[] neu = body;
        if (bom) {
            neu = new byte[body.length + 3];
            System.arraycopy(BOM, 0, neu, 0, 3);
            System.arraycopy(body, 0, neu, 3, body.length);
        }
        String diff = Arrays.equals(old, neu) ? "" : unifiedDiff(path, text, out.text());
        return new Planned(path, exists, old, neu, diff, changedPaths(ops, out));
    }

    private static List<YamlTextEditor.Op> ops(Args a) throws ModuleException {
        List<YamlTextEditor.Op> ops = new ArrayList<>();
        try {
            for (Map.Entry<String, Object> e : a.map("set").entrySet()) {
                ops.add(new YamlTextEditor.SetOp(YamlPath.parse(e.getKey()), e.getValue()));
            }
            for (String d : a.list("delete")) {
                ops.add(new YamlTextEditor.DeleteOp(YamlPath.parse(d)));
            }
        } catch (IllegalArgumentException e) {
            throw new ModuleException("yaml_edit: " + e.getMessage());
        }
        if (ops.isEmpty()) {
            throw new ModuleException("yaml_edit: nothing to do: set and delete are empty");
        }
        for (String d : a.list("delete")) {
            if (a.map("set").containsKey(d)) {
                throw new ModuleException("yaml_edit: '" + d + "' is both in set and delete");
            }
        }
        return ops;
    }

    private static List<String> changedPaths(List<YamlTextEditor.Op> ops, YamlTextEditor.Outcome out) {
        List<String> changed = new ArrayList<>();
        for (YamlTextEditor.Op op : ops) {
            Object before = lookup(out.before(), op.path());
            Object after = lookup(out.after(), op.path());
            if (!Objects.equals(before, after)) {
                changed.add((op instanceof YamlTextEditor.DeleteOp ? "delete " : "set ") + op.path());
            }
        }
        return changed;
    }

    /** The value at {@code p} in normalised data, or a marker when absent. */
    private static Object lookup(Object data, YamlPath p) {
        Object cur = data;
        for (Object seg : p.segments()) {
            if (seg instanceof String k && cur instanceof Map<?, ?> m && m.containsKey(k)) {
                cur = m.get(k);
            } else if (seg instanceof Integer i && cur instanceof List<?> l && i < l.size()) {
                cur = l.get(i);
            } else {
                return Absent.INSTANCE;
            }
        }
        return cur;
    }

    private enum Absent { INSTANCE }

    private static String decode(String path, byte[] bytes) throws ModuleException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ModuleException("yaml_edit: " + path + " is not UTF-8 text");
        }
    }

    /**
     * A unified diff of two texts, as {@code diff -u} / git print it: {@code --- a/<path>},
     * {@code +++ b/<path>} (leading '/' of an absolute path dropped), hunks with 3 lines of context.
     * Lines are compared without their line break (LF or CRLF); the result uses LF.
     *
     * @return the diff, or "" when the texts have the same lines
     */
    public static String unifiedDiff(String path, String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        Patch<String> patch = DiffUtils.diff(a, b);
        if (patch.getDeltas().isEmpty()) {
            return "";
        }
        String name = path.startsWith("/") ? path.substring(1) : path;
        List<String> out = UnifiedDiffUtils.generateUnifiedDiff("a/" + name, "b/" + name, a, patch, 3);
        return String.join("\n", out) + "\n";
    }

    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> l = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
        if (l.get(l.size() - 1).isEmpty()) {
            l.remove(l.size() - 1);
        }
        return l;
    }

    private static String backupName(Connection c, String path) throws ConnectionException {
        String base = path + "." + BACKUP_STAMP.format(Instant.now());
        String name = base + ".bak";
        for (int i = 1; c.stat(name).isPresent(); i++) {
            name = base + "-" + i + ".bak";
        }
        return name;
    }
}
