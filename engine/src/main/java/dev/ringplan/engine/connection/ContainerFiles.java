package dev.ringplan.engine.connection;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * File operations of a {@link ContainerConnection}. Through a pool of {@link ContainerAgent}s
 * (long-lived Perl file agents, one client start for many operations) when the container has
 * perl; otherwise, or when an agent fails, through the client's {@code exec} of one
 * POSIX shell script ({@link #SCRIPT}, run as {@code sh -c SCRIPT ringplan-fs OP ARGS...}):
 * {@code stat} and {@code list} print GNU {@code find -printf '%y/%s/%T@/%f\0'} records
 * (type letter, size, mtime in seconds with fraction, name; NUL-terminated, so any file name is
 * safe); {@code mkdirs} is {@code mkdir -p}; {@code delete} is {@code rmdir} for a directory and
 * {@code rm -f} otherwise; {@code rename} refuses an existing target (exit 4) and a target
 * directory on another file system (exit 5, compared with {@code stat -c %d}) before
 * {@code mv -T -n}, so it never copies. Missing paths give exit 3.
 *
 * <p><b>Streams.</b> {@code read} opens the file, prints one byte {@code R}, then {@code exec cat}
 * from it; {@code write} opens (creates, truncates) the file, prints {@code R}, then
 * {@code exec cat} into it. The connection starts the client with the script and waits for that
 * byte: when it does not come, the open failed and the client's exit and stderr say why (a
 * {@link ConnectionException}); when it does, the caller reads the client's stdout (or writes
 * its stdin) directly, so data streams through the client's pipe with no temporary copy on
 * either side. A read that ends with a non-zero exit, or a write whose {@code cat} fails, throws
 * {@link IOException} at the end of the stream or at {@code close()}.
 *
 * <p>Needs in the container: {@code sh}, GNU findutils and coreutils ({@code find -printf},
 * {@code stat -c}, {@code mv -T}), as in any Debian, Ubuntu or RHEL based image.
 */
final class ContainerFiles {
    /** The file operations script; $1 is the operation. */
    static final String SCRIPT = String.join("\n",
            "op=$1; shift",
            "exists() { [ -e \"$1\" ] || [ -L \"$1\" ]; }",
            "case $op in",
            "stat) exists \"$1\" || exit 3",
            "  exec find \"$1\" -maxdepth 0 -printf '%y/%s/%T@/%f\\0' ;;",
            "list) exists \"$1\" || exit 3",
            "  [ -d \"$1\" ] || { echo 'Not a directory' >&2; exit 1; }",
            "  exec find \"$1\" -mindepth 1 -maxdepth 1 -printf '%y/%s/%T@/%f\\0' ;;",
            "mkdirs) exec mkdir -p -- \"$1\" ;;",
            "delete) if [ -d \"$1\" ] && [ ! -L \"$1\" ]; then exec rmdir -- \"$1\"; fi",
            "  exec rm -f -- \"$1\" ;;",
            "rename) exists \"$2\" && exit 4",
            "  exists \"$1\" || { echo 'No such file or directory' >&2; exit 1; }",
            "  if command -v perl >/dev/null 2>&1; then",
            "    exec perl -e 'rename($ARGV[0], $ARGV[1]) or do { print STDERR \"$!\\n\"; exit(($! + 0) == 18 ? 5 : 1) }' \"$1\" \"$2\"",
            "  fi",
            "  d1=$(stat -c %d -- \"$1\") && d2=$(stat -c %d -- \"$(dirname -- \"$2\")\") || exit 1",
            "  [ \"$d1\" = \"$d2\" ] || exit 5",
            "  exec mv -T -n -- \"$1\" \"$2\" ;;",
            "read) [ -d \"$1\" ] && { echo 'Is a directory' >&2; exit 1; }",
            "  exec 3<\"$1\" || exit 1",
            "  printf R; exec cat <&3 ;;",
            "write) exec 3>\"$1\" || exit 1",
            "  printf R; exec cat >&3 ;;",
            "*) echo \"unknown operation $op\" >&2; exit 2 ;;",
            "esac");
    private static final Duration OP_TIMEOUT = Duration.ofMinutes(5);

    private final ContainerConnection conn;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final ContainerAgents agents;
    private volatile boolean interrupted;

    ContainerFiles(ContainerConnection conn) {
        this.conn = conn;
        this.agents = new ContainerAgents(conn);
    }

    static String reason(ContainerAgent.Reply r) {
        return reason(new ExecResult(List.of(), r.status(), "", r.text(), 0));
    }

    private ExecResult run(String... opAndArgs) throws ConnectionException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", SCRIPT, "ringplan-fs"));
        argv.addAll(List.of(opAndArgs));
        return conn.exec(argv, ExecOptions.defaults().withTimeout(OP_TIMEOUT));
    }

    Optional<FileStat> stat(String path) throws ConnectionException {
        ContainerAgent.Reply a = agents.call("stat", path);
        if (a != null && a.status() == 3) {
            return Optional.empty();
        }
        if (a != null) {
            List<FileStat> s = a.status() == 0 ? parse(a.text(), null, path) : List.of();
            if (s.size() != 1) {
                throw new ConnectionException(conn.host() + ": cannot stat " + path + ": " + reason(a));
            }
            return Optional.of(s.get(0));
        }
        ExecResult r = run("stat", path);
        if (r.exitStatus() != null && r.exitStatus() == 3) {
            return Optional.empty();
        }
        List<FileStat> s = r.ok() ? parse(r.stdout(), null, path) : List.of();
        if (s.size() != 1) {
            throw new ConnectionException(conn.host() + ": cannot stat " + path + ": " + reason(r));
        }
        return Optional.of(s.get(0));
    }

    List<FileStat> list(String dir) throws ConnectionException {
        String base = dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        ContainerAgent.Reply a = agents.call("list", dir);
        String records;
        if (a != null) {
            if (a.status() == 3) {
                return List.of();
            }
            if (a.status() != 0) {
                throw new ConnectionException(conn.host() + ": cannot list " + dir + ": " + reason(a));
            }
            records = a.text();
        } else {
            ExecResult r = run("list", dir);
            if (r.exitStatus() != null && r.exitStatus() == 3) {
                return List.of();
            }
            if (!r.ok()) {
                throw new ConnectionException(conn.host() + ": cannot list " + dir + ": " + reason(r));
            }
            records = r.stdout();
        }
        List<FileStat> out = parse(records, base, null);
        out.sort(Comparator.comparing(FileStat::name));
        return out;
    }

    void mkdirs(String dir) throws ConnectionException {
        ContainerAgent.Reply a = agents.call("mkdirs", dir);
        if (a != null) {
            if (a.status() != 0) {
                throw new ConnectionException(conn.host() + ": cannot create directory " + dir + ": " + reason(a));
            }
            return;
        }
        ExecResult r = run("mkdirs", dir);
        if (!r.ok()) {
            throw new ConnectionException(conn.host() + ": cannot create directory " + dir + ": " + reason(r));
        }
    }

    void delete(String path) throws ConnectionException {
        ContainerAgent.Reply a = agents.call("delete", path);
        if (a != null) {
            if (a.status() != 0) {
                throw new ConnectionException(conn.host() + ": cannot delete " + path + ": " + reason(a));
            }
            return;
        }
        ExecResult r = run("delete", path);
        if (!r.ok()) {
            throw new ConnectionException(conn.host() + ": cannot delete " + path + ": " + reason(r));
        }
    }

    void rename(String from, String to) throws ConnectionException {
        ContainerAgent.Reply a = agents.call("rename", from, to);
        ExecResult r = a != null ? new ExecResult(List.of(), a.status(), "", a.text(), 0) : run("rename", from, to);
        if (r.ok()) {
            return;
        }
        String why = r.exitStatus() != null && r.exitStatus() == 4 ? "target already exists"
                : r.exitStatus() != null && r.exitStatus() == 5
                ? "the target is on another file system (a rename never copies)" : reason(r);
        throw new ConnectionException(conn.host() + ": cannot rename " + from + " to " + to + ": " + why);
    }

    /**
     * Records of {@code find -printf '%y/%s/%T@/%f\0'}: with {@code dir}, paths are dir/name; with
     * {@code single}, the one record's path is {@code single}.
     */
    static List<FileStat> parse(String out, String dir, String single) {
        List<FileStat> result = new ArrayList<>();
        for (String rec : out.split("\0")) {
            if (rec.isEmpty()) {
                continue;
            }
            String[] f = rec.split("/", 4);
            if (f.length < 4) {
                continue;
            }
            FileStat.Type type = switch (f[0]) {
                case "f" -> FileStat.Type.FILE;
                case "d" -> FileStat.Type.DIRECTORY;
                case "l" -> FileStat.Type.SYMLINK;
                default -> FileStat.Type.OTHER;
            };
            long size = type == FileStat.Type.DIRECTORY ? 0 : Long.parseLong(f[1]);
            long mtime = new BigDecimal(f[2]).movePointRight(3).longValue();
            String path = single != null ? single : (dir.equals("/") ? "/" : dir + "/") + f[3];
            String name = single != null ? lastElement(single) : f[3];
            result.add(new FileStat(path, name, type, size, mtime));
        }
        return result;
    }

    private static String lastElement(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int i = p.lastIndexOf('/');
        return i < 0 || p.length() == 1 ? p : p.substring(i + 1);
    }

    /** A short reason from a failed script run: its last stderr line, in LocalFiles' words where known. */
    static String reason(ExecResult r) {
        String s = r.stderr() == null ? "" : r.stderr().strip();
        String low = s.toLowerCase(java.util.Locale.ROOT);
        if (low.contains("no such file") || low.contains("directory nonexistent")
                || low.contains("can't create")) {
            return "no such file or directory";
        }
        if (low.contains("permission denied")) {
            return "permission denied";
        }
        if (low.contains("directory not empty")) {
            return "directory not empty";
        }
        if (low.contains("not a directory")) {
            return "not a directory";
        }
        if (low.contains("is a directory")) {
            return "is a directory";
        }
        return r.failureSummary();
    }

    // ---- streams ----

    InputStream openRead(String path) throws ConnectionException {
        InputStream viaAgent = agents.openRead(path);
        if (viaAgent != null) {
            return viaAgent;
        }
        Stream s = start("read", path, "cannot read");
        return new FilterInputStream(s.process.getInputStream()) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) {
                    s.finish("cannot read " + path);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n < 0) {
                    s.finish("cannot read " + path);
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                s.end();
            }
        };
    }

    OutputStream openWrite(String path) throws ConnectionException {
        OutputStream viaAgent = agents.openWrite(path);
        if (viaAgent != null) {
            return viaAgent;
        }
        Stream s = start("write", path, "cannot write");
        return new FilterOutputStream(new java.io.BufferedOutputStream(s.process.getOutputStream(), 64 * 1024)) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    out.close();
                } catch (IOException e) {
                    s.finish("cannot write " + path);
                    throw e;
                }
                s.finish("cannot write " + path);
            }
        };
    }

    /** Starts the client with the read or write operation and waits for the script's "R". */
    private Stream start(String op, String path, String verb) throws ConnectionException {
        if (interrupted) {
            throw new CommandInterruptedException(conn.host() + ": run interrupted, " + verb.substring(7) + " of "
                    + path + " not started", null);
        }
        String id = UUID.randomUUID().toString();
        List<String> remote = new ArrayList<>(List.of("env", ContainerConnection.MARKER + "=" + id,
                "sh", "-c", SCRIPT, "ringplan-fs", op, path));
        List<String> command = conn.cli().execCommand(remote);
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UnreachableException(conn.host() + ": cannot run the " + conn.cli().type() + " client '"
                    + command.get(0) + "': " + ConnectionSupport.message(e), e);
        }
        Stream s = new Stream(p, id, command.get(0));
        open.add(s);
        if (op.equals("read")) {
            ConnectionSupport.closeQuietly(p.getOutputStream());
        }
        int first;
        try {
            first = p.getInputStream().read();
        } catch (IOException e) {
            first = -1;
        }
        if (first != 'R') {
            s.awaitExit(30);
            open.remove(s);
            Integer status = p.isAlive() ? null : p.exitValue();
            p.destroyForcibly();
            conn.checkReached(status, s.stderr(), s.client);
            ExecResult r = new ExecResult(List.of(), status, "", s.stderr(), 0);
            throw new ConnectionException(conn.host() + ": " + verb + " " + path + ": " + reason(r));
        }
        return s;
    }

    /** Ends every open stream and agent: the clients are killed and their processes in the container too. */
    void interrupt() {
        interrupted = true;
        agents.interrupt();
        for (Stream s : open) {
            s.process.destroyForcibly();
            conn.signal(s.id, "KILL");
            open.remove(s);
        }
    }

    /** One running read or write: the client process, the marker id, its stderr (drained by a thread). */
    private final class Stream {
        final Process process;
        final String id;
        final String client;
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread drain;

        Stream(Process process, String id, String client) {
            this.process = process;
            this.id = id;
            this.client = client;
            this.drain = new Thread(() -> {
                byte[] buf = new byte[4096];
                try (InputStream in = process.getErrorStream()) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        synchronized (err) {
                            if (err.size() < 65536) {
                                err.write(buf, 0, n);
                            }
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "ringplan-container-stderr");
            drain.setDaemon(true);
            drain.start();
        }

        String stderr() {
            try {
                drain.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }

        void awaitExit(long seconds) {
            try {
                process.waitFor(seconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** At the end of the data: waits for the client; a non-zero exit is an IOException. */
        void finish(String what) throws IOException {
            awaitExit(600);
            open.remove(this);
            if (process.isAlive()) {
                process.destroyForcibly();
                throw new IOException(conn.host() + ": " + what + ": the " + conn.cli().type() + " client did not exit");
            }
            int status = process.exitValue();
            if (status != 0) {
                throw new IOException(conn.host() + ": " + what + ": "
                        + reason(new ExecResult(List.of(), status, "", stderr(), 0)));
            }
        }

        /** Closed by the reader, maybe before the end: stops the client and the cat in the container. */
        void end() {
            open.remove(this);
            if (process.isAlive()) {
                process.destroyForcibly();
                awaitExit(5);
                conn.signal(id, "KILL");
            }
            ConnectionSupport.closeQuietly(process.getInputStream());
        }
    }
}
