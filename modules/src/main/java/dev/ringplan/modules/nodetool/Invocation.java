package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.CassandraHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One validated {@code nodetool} task: the command, the host's view, the argv (the first call) and
 * the arguments used. {@code calls} holds every argv to run in order (more than one only for
 * flush, repair, cleanup or rebuild of several keyspaces); {@code callKeyspaces} the keyspace of
 * each call (empty for one call on all keyspaces; unused by other commands). {@link #of} checks
 * the arguments per command and builds the argv; running it is {@link NodetoolRunner}'s.
 *
 * <p>The argv of the commands added for migrations, checked against {@code nodetool help <command>}
 * of Cassandra 5.0.7: {@code rebuild [-ks <keyspace>] [--] <src-dc-name>},
 * {@code removenode [--] <ID>}, {@code decommission [--force]}, {@code cleanup [-j <jobs>] [--]
 * [<keyspace> <tables>...]}, {@code repair [-full] [-pr] [--] [<keyspace> <tables>...]},
 * {@code compactionstats}, {@code netstats}, {@code setstreamthroughput [-m] [--] <value>},
 * {@code import [-p|--copy-data] [--] <keyspace> <table> <directory>...} (built by {@link ImportRun},
 * once the directories are known), {@code refresh [--] <keyspace> <table>}.
 *
 * @param command       the command
 * @param host          the host's Cassandra variables (nodetool_cmd, JMX, data directories)
 * @param argv          the first (usually only) call
 * @param tag           snapshot tag; null when not given
 * @param keyspaces     keyspaces given
 * @param tables        tables given, as keyspace.table
 * @param all           clearsnapshot: all: true
 * @param calls         every argv to run, in order
 * @param callKeyspaces the keyspace of each call (flush, repair, cleanup, rebuild)
 * @param sourceDc      rebuild: the datacenter to stream from; null otherwise
 * @param hostId        removenode: the host id, lower case; null otherwise
 * @param timeout       how long one nodetool call may run
 * @param importDirs    import: staging roots ({@code <root>/<ks>/<table>} per table); empty otherwise
 * @param copyData      import: {@code --copy-data}
 */
record Invocation(Command command, CassandraHost host, List<String> argv, String tag,
                  List<String> keyspaces, List<String> tables, boolean all,
                  List<List<String>> calls, List<String> callKeyspaces, String sourceDc, String hostId,
                  Duration timeout, List<String> importDirs, boolean copyData) {
    /** A single call without all: true, with the default timeout (reads done for another command). */
    Invocation(Command command, CassandraHost host, List<String> argv, String tag, List<String> keyspaces,
               List<String> tables) {
        this(command, host, argv, tag, keyspaces, tables, false, List.of(argv), List.of(), null, null,
                DEFAULT_TIMEOUT, List.of(), false);
    }

    /** Every other command: no import arguments. */
    Invocation(Command command, CassandraHost host, List<String> argv, String tag, List<String> keyspaces,
               List<String> tables, boolean all, List<List<String>> calls, List<String> callKeyspaces,
               String sourceDc, String hostId, Duration timeout) {
        this(command, host, argv, tag, keyspaces, tables, all, calls, callKeyspaces, sourceDc, hostId, timeout,
                List.of(), false);
    }

    /** How long one nodetool call may run unless the task says otherwise (argument timeout). */
    static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

    /** The commands this module runs. */
    enum Command {
        FLUSH, SNAPSHOT, CLEARSNAPSHOT, LISTSNAPSHOTS, STATUS, RING, DESCRIBECLUSTER, INFO, DRAIN, REPAIR,
        REBUILD, REMOVENODE, DECOMMISSION, CLEANUP, COMPACTIONSTATS, SETSTREAMTHROUGHPUT, NETSTATS, IMPORT, REFRESH;

        /** The command as nodetool spells it. */
        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** True for the commands that only read (they also run in check mode). */
        boolean readOnly() {
            return this == LISTSNAPSHOTS || this == STATUS || this == RING || this == DESCRIBECLUSTER || this == INFO
                    || this == COMPACTIONSTATS || this == NETSTATS;
        }

        /** True for the commands that take keyspaces one per nodetool call, in order. */
        boolean perKeyspace() {
            return this == FLUSH || this == REPAIR || this == CLEANUP || this == REBUILD;
        }

        /** Every command word, in declaration order (the module's choices). */
        static String[] words() {
            return java.util.Arrays.stream(values()).map(Command::word).toArray(String[]::new);
        }
    }

    private static final Pattern IDENT = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern QUALIFIED = Pattern.compile("([A-Za-z0-9_]+)\\.([A-Za-z0-9_]+)");
    /**
     * Longest keyspace or table name Cassandra accepts ({@code SchemaConstants.NAME_LENGTH}, 48;
     * names match {@code \\w+}).
     */
    static final int MAX_NAME_LENGTH = 48;

    /**
     * Why {@code tag} cannot name a snapshot, or null when it can. A tag becomes a directory
     * name under each table's {@code snapshots/}, so it must not be empty, {@code .} or
     * {@code ..}, nor contain a path separator ({@code /}, {@code \\}) or {@code :}
     * (Cassandra's {@code StorageService.takeSnapshot} refuses {@code File.pathSeparator}),
     * nor a control character (a newline would break listsnapshots' line format), nor start
     * with {@code -} (nodetool would take it for an option). Shell metacharacters are allowed:
     * argv is never given to a shell unquoted.
     */
    static String snapshotTagProblem(String tag) {
        if (tag.isBlank()) {
            return "it is empty";
        }
        if (tag.equals(".") || tag.equals("..")) {
            return "'.' and '..' name directories that already exist";
        }
        if (tag.startsWith("-")) {
            return "it starts with '-' (nodetool would read it as an option)";
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c == '/' || c == '\\') {
                return "it contains a path separator ('" + c + "')";
            }
            if (c == ':') {
                return "it contains ':' (Cassandra refuses the path separator ':' in snapshot names)";
            }
            if (Character.isISOControl(c)) {
                return "it contains the control character " + String.format("U+%04X", (int) c);
            }
        }
        return null;
    }

    /** {@code s} single-quoted with control characters escaped, for messages. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder("'");
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                sb.append(c == '\n' ? "\\n" : String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.append('\'').toString();
    }

    /** The command spelled {@code s} (surrounding blanks ignored), if this module runs it. */
    static Optional<Command> parseCommand(String s) {
        for (Command c : Command.values()) {
            if (c.word().equals(s.strip())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * Checks the task's arguments for its command and builds the nodetool argv (one per call).
     *
     * @throws ModuleException for an unknown command, an argument the command does not take, a
     *                         malformed keyspace, table or tag, or a combination nodetool refuses
     */
    static Invocation of(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        String word = a.str("command");
        Command cmd = parseCommand(word == null ? "" : word).orElseThrow(() -> new ModuleException(
                "nodetool: unknown command '" + word + "'; expected one of " + String.join(", ", Command.words())));
        CassandraHost host = CassandraHost.of(ctx);
        String tag = a.str("tag");
        List<String> keyspaces = a.list("keyspaces");
        List<String> tables = a.list("tables");
        boolean all = a.bool("all", false);
        List<String> extra = a.list("extra_args");
        String p = "nodetool " + cmd.word() + ": ";
        Duration timeout = Duration.ofSeconds(a.integer("timeout", DEFAULT_TIMEOUT.toSeconds()));
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ModuleException(p + "timeout must be at least 1 second, got " + timeout.toSeconds());
        }
        String sourceDc = a.str("source_dc");
        if (sourceDc != null && (sourceDc.isBlank() || sourceDc.chars().anyMatch(Character::isISOControl))) {
            throw new ModuleException(p + "source_dc " + printable(sourceDc) + " is not a datacenter name");
        }
        String hostId = a.str("host_id");
        if (hostId != null) {
            if (!UUID.matcher(hostId.strip()).matches()) {
                throw new ModuleException(p + "host_id " + printable(hostId) + " is not a host id (a UUID such as"
                        + " 06bd4b04-5a02-4edc-966b-6543a3e1040c, the Host ID column of nodetool status)");
            }
            hostId = hostId.strip().toLowerCase(Locale.ROOT);
        }

        // Which arguments a command takes, and tag/all of clearsnapshot, are the spec's rules.
        for (String k : keyspaces) {
            if (!IDENT.matcher(k).matches() || k.length() > MAX_NAME_LENGTH) {
                throw new ModuleException(p + "keyspace " + printable(k) + " is not a valid keyspace name (Cassandra:"
                        + " 1 to " + MAX_NAME_LENGTH + " letters, digits and _)");
            }
        }
        for (String t : tables) {
            java.util.regex.Matcher m = QUALIFIED.matcher(t);
            if (!m.matches() || m.group(1).length() > MAX_NAME_LENGTH || m.group(2).length() > MAX_NAME_LENGTH) {
                throw new ModuleException(p + "table " + printable(t) + " must be written keyspace.table (Cassandra:"
                        + " each 1 to " + MAX_NAME_LENGTH + " letters, digits and _)");
            }
        }
        String badTag = tag == null ? null : snapshotTagProblem(tag);
        if (badTag != null) {
            throw new ModuleException(p + "tag " + printable(tag) + " is not usable as a snapshot name: " + badTag);
        }

        List<String> args = new ArrayList<>();
        args.add(cmd.word());
        if (cmd == Command.REPAIR) {
            // nodetool repair [-full] [-pr] ...: the first-class flags, then extra_args
            if (a.bool("full", false)) {
                args.add("-full");
            }
            if (a.bool("primary_range", false)) {
                args.add("-pr");
            }
        }
        args.addAll(extra);
        switch (cmd) {
            case SNAPSHOT:
                if (tag != null) {
                    args.add("-t");
                    args.add(tag);
                }
                if (!tables.isEmpty()) {
                    args.add("--kt-list");
                    args.add(String.join(",", tables));
                }
                args.addAll(keyspaces);
                break;
            case CLEARSNAPSHOT:
                if (all) {
                    args.add("--all");
                } else {
                    args.add("-t");
                    args.add(tag);
                }
                args.addAll(keyspaces);
                break;
            case CLEANUP:
                if (a.has("jobs")) {
                    long jobs = a.integer("jobs", 0);
                    if (jobs < 0) {
                        throw new ModuleException(p + "jobs must be 0 (all compaction threads) or more, got " + jobs);
                    }
                    args.add("-j");
                    args.add(Long.toString(jobs));
                }
                return perKeyspace(cmd, host, args, keyspaces, tables, timeout, null);
            case FLUSH:
            case REPAIR:
                return perKeyspace(cmd, host, args, keyspaces, tables, timeout, null);
            case REBUILD:
                return perKeyspace(cmd, host, args, keyspaces, List.of(), timeout, sourceDc);
            case REMOVENODE:
                args.add("--");
                args.add(hostId);
                break;
            case DECOMMISSION:
                if (a.bool("force", false)) {
                    args.add("--force");
                }
                break;
            case SETSTREAMTHROUGHPUT: {
                long mb = a.integer("throughput", -1);
                if (mb < 0) {
                    throw new ModuleException(p + "throughput must be 0 (unlimited) or more, got " + mb);
                }
                if (StreamThroughput.MIB.equals(a.str("throughput_unit"))) {
                    args.add("-m");
                }
                args.add(Long.toString(mb));
                break;
            }
            case IMPORT:
            case REFRESH:
                return tableCalls(cmd, host, a, p, tables, timeout);
            case STATUS:
            case RING: {
                Set<String> ks = new LinkedHashSet<>(keyspaces);
                for (String t : tables) {
                    ks.add(t.substring(0, t.indexOf('.')));
                }
                if (ks.size() > 1) {
                    throw new ModuleException(p + "takes at most one keyspace (nodetool " + cmd.word()
                            + " [<keyspace>]), got "
                            + String.join(", ", ks) + "; use one task per keyspace");
                }
                args.addAll(ks);
                for (String t : tables) {
                    args.add(t.substring(t.indexOf('.') + 1));
                }
                break;
            }
            default:
                break;
        }
        List<String> argv = host.nodetoolArgv(args);
        return new Invocation(cmd, host, argv, tag, List.copyOf(keyspaces), List.copyOf(tables), all, List.of(argv),
                List.of(), sourceDc, hostId, timeout);
    }

    /**
     * flush, repair, cleanup, rebuild: nodetool takes one keyspace (and its tables) per call, so
     * one call each, in the given order; tables go into the call of their keyspace. rebuild
     * names its keyspace with {@code -ks} and ends with {@code -- <source_dc>}.
     */
    private static Invocation perKeyspace(Command cmd, CassandraHost host, List<String> args, List<String> keyspaces,
                                          List<String> tables, Duration timeout, String sourceDc) {
        Map<String, List<String>> byKs = new LinkedHashMap<>();
        for (String k : keyspaces) {
            byKs.putIfAbsent(k, new ArrayList<>());
        }
        for (String t : tables) {
            byKs.computeIfAbsent(t.substring(0, t.indexOf('.')), k -> new ArrayList<>())
                    .add(t.substring(t.indexOf('.') + 1));
        }
        List<List<String>> calls = new ArrayList<>();
        if (byKs.isEmpty()) {
            calls.add(host.nodetoolArgv(withSource(args, sourceDc)));
        }
        for (Map.Entry<String, List<String>> e : byKs.entrySet()) {
            List<String> one = new ArrayList<>(args);
            if (cmd == Command.REBUILD) {
                one.add("-ks");
            }
            one.add(e.getKey());
            one.addAll(e.getValue());
            calls.add(host.nodetoolArgv(withSource(one, sourceDc)));
        }
        return new Invocation(cmd, host, calls.get(0), null, List.copyOf(keyspaces), List.copyOf(tables), false,
                List.copyOf(calls), List.copyOf(byKs.keySet()), sourceDc, null, timeout);
    }

    /**
     * import, refresh: one call per table. refresh's argv is final; import's first argv names no
     * directory ({@link ImportRun} adds the ones holding SSTables). The staging roots must be
     * absolute paths without {@code ..}; a snapshot tag must be a usable snapshot name.
     */
    private static Invocation tableCalls(Command cmd, CassandraHost host, Args a, String p, List<String> tables,
                                         Duration timeout) throws ModuleException {
        if (tables.isEmpty()) {
            throw new ModuleException(p + "needs tables: [keyspace.table, ...]");
        }
        List<String> dirs = new ArrayList<>();
        for (String d : a.list("dirs")) {
            String s = d.strip();
            while (s.length() > 1 && s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            if (!s.startsWith("/") || java.util.Arrays.asList(s.split("/")).contains("..")
                    || s.chars().anyMatch(Character::isISOControl)) {
                throw new ModuleException(p + "dirs entry " + printable(d) + " must be an absolute path without '..'");
            }
            dirs.add(s);
        }
        String tag = a.str("tag");
        if (cmd == Command.IMPORT && dirs.isEmpty() == (tag == null)) {
            throw new ModuleException(p + "give exactly one of dirs (staged SSTables, <dir>/<ks>/<table>) and tag"
                    + " (each table's own snapshot)");
        }
        List<List<String>> calls = new ArrayList<>();
        for (String t : tables) {
            String ks = t.substring(0, t.indexOf('.'));
            String tb = t.substring(t.indexOf('.') + 1);
            calls.add(host.nodetoolArgv(cmd == Command.IMPORT ? List.of("import", "--", ks, tb)
                    : List.of("refresh", "--", ks, tb)));
        }
        return new Invocation(cmd, host, calls.get(0), tag, List.of(), List.copyOf(tables), false, List.copyOf(calls),
                List.of(), null, null, timeout, List.copyOf(dirs), a.bool("copy_data", false) || tag != null);
    }

    /** rebuild: {@code args -- <source_dc>} (the separator keeps a name starting with '-' an argument). */
    private static List<String> withSource(List<String> args, String sourceDc) {
        if (sourceDc == null) {
            return args;
        }
        List<String> out = new ArrayList<>(args);
        out.add("--");
        out.add(sourceDc);
        return out;
    }

    /** The argv of a read this module makes for another command (status, netstats, describering...). */
    List<String> read(String... words) {
        return host.nodetoolArgv(List.of(words));
    }
}
