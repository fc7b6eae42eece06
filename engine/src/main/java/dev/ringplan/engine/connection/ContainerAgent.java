package dev.ringplan.engine.connection;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A long-lived file agent in a container: one {@code docker exec -i} (or {@code kubectl exec -i})
 * of a small Perl program ({@link #SCRIPT}) that answers file requests over its stdin and stdout,
 * so a restore's hundreds of stats, renames and file streams cost one client start instead of one
 * each (a {@code docker exec} takes 0.1 to 1.5 s, depending on the machine's load). Perl because
 * {@code perl-base} is essential in Debian and Ubuntu images and does every file system call
 * directly; without perl in the container, {@link ContainerFiles} runs its shell script once per
 * operation instead.
 *
 * <p><b>Protocol</b> (all integers unsigned 32-bit big-endian): a request is a count N, then N
 * arguments each as a length and bytes (the first is the operation: {@code ping}, {@code stat},
 * {@code list}, {@code mkdirs}, {@code delete}, {@code rename}, {@code read}, {@code write}); a
 * reply is a status (0 ok, 1 error with the {@code $!} text as data, 3 missing, 4 target exists,
 * 5 another file system) and a length and bytes. {@code stat} and {@code list} reply with
 * {@code type/size/mtime/name\0} records (type f, d, l or o; mtime in seconds), as
 * {@link ContainerFiles#parse} reads them. After an ok reply to {@code read} the agent sends the
 * file as chunks (length, bytes), a zero length, then a final reply; after an ok reply to
 * {@code write} the caller sends chunks and a zero length, and the agent gives a final reply.
 *
 * <p>One request at a time per agent: {@link ContainerFiles} keeps a pool. The agent's processes
 * in the container carry a {@code RINGPLAN_EXEC_ID} like every command, so an interrupt stops them.
 */
final class ContainerAgent implements AutoCloseable {
    /** The agent program (perl -e). Linux errno numbers: ENOENT 2, ENOTDIR 20, EXDEV 18. */
    static final String SCRIPT = String.join("\n",
            "use strict; binmode STDIN; binmode STDOUT;",
            "sub rd { my $n = shift; my $b = ''; while (length($b) < $n) {",
            "  my $r = sysread(STDIN, $b, $n - length($b), length($b)); return undef unless $r; } return $b; }",
            "sub out { my $d = shift; my $o = 0; while ($o < length $d) {",
            "  my $w = syswrite(STDOUT, $d, length($d) - $o, $o); exit 1 unless defined $w; $o += $w; } }",
            "sub reply { my ($st, $d) = @_; $d = '' unless defined $d; out(pack('NN', $st, length $d) . $d); }",
            "sub rec { my ($p, $name) = @_; my @s = lstat($p); return undef unless @s;",
            "  my $t = -l _ ? 'l' : -d _ ? 'd' : -f _ ? 'f' : 'o'; return \"$t/$s[7]/$s[9]/$name\\0\"; }",
            "sub mkdirs { my $d = shift; return 1 if -d $d; (my $p = $d) =~ s{/+[^/]+/*$}{};",
            "  if ($p ne '' && $p ne $d && !-d $p) { mkdirs($p) or return 0; } return mkdir($d) || -d $d; }",
            "while (defined(my $h = rd(4))) {",
            "  my $n = unpack('N', $h); my @a;",
            "  for (1 .. $n) { my $l = rd(4); exit 1 unless defined $l; my $v = rd(unpack('N', $l));",
            "    exit 1 unless defined $v; push @a, $v; }",
            "  my $op = shift @a; my ($x, $y) = @a;",
            "  if ($op eq 'ping') { reply(0, 'pong'); }",
            "  elsif ($op eq 'stat') { my $r = rec($x, '');",
            "    if (defined $r) { reply(0, $r) } elsif ($! + 0 == 2 || $! + 0 == 20) { reply(3) } else { reply(1, \"$!\") } }",
            "  elsif ($op eq 'list') {",
            "    if (opendir(my $dh, $x)) { my $o = ''; while (defined(my $e = readdir $dh)) {",
            "        next if $e eq '.' || $e eq '..'; my $r = rec(\"$x/$e\", $e); $o .= $r if defined $r; }",
            "      closedir $dh; reply(0, $o); }",
            "    elsif ($! + 0 == 2) { reply(3) } else { reply(1, \"$!\") } }",
            "  elsif ($op eq 'mkdirs') { mkdirs($x) ? reply(0) : reply(1, \"$!\"); }",
            "  elsif ($op eq 'delete') {",
            "    if (-d $x && !-l $x) { rmdir($x) ? reply(0) : reply(1, \"$!\") }",
            "    elsif (unlink($x) || $! + 0 == 2) { reply(0) } else { reply(1, \"$!\") } }",
            "  elsif ($op eq 'rename') {",
            "    if (lstat($y)) { reply(4) } elsif (rename($x, $y)) { reply(0) }",
            "    elsif ($! + 0 == 18) { reply(5) } else { reply(1, \"$!\") } }",
            "  elsif ($op eq 'read') {",
            "    if (-d $x) { reply(1, 'Is a directory'); next; }",
            "    open(my $fh, '<', $x) or do { reply(1, \"$!\"); next; }; binmode $fh; reply(0);",
            "    my ($r, $buf); while ($r = sysread($fh, $buf, 65536)) { out(pack('N', $r) . $buf); }",
            "    my $err = defined $r ? '' : \"$!\"; close $fh; out(pack('N', 0)); $err eq '' ? reply(0) : reply(1, $err); }",
            "  elsif ($op eq 'write') {",
            "    open(my $fh, '>', $x) or do { reply(1, \"$!\"); next; }; binmode $fh; reply(0); my $err = '';",
            "    while (1) { my $l = rd(4); exit 1 unless defined $l; my $len = unpack('N', $l); last if $len == 0;",
            "      my $buf = rd($len); exit 1 unless defined $buf;",
            "      if ($err eq '') { my $o = 0; while ($o < $len) { my $w = syswrite($fh, $buf, $len - $o, $o);",
            "          if (!defined $w) { $err = \"$!\"; last; } $o += $w; } } }",
            "    close($fh) or $err = $err || \"$!\"; $err eq '' ? reply(0) : reply(1, $err); }",
            "  else { reply(1, \"unknown operation $op\"); }",
            "}");

    /** A reply: status and data. */
    record Reply(int status, byte[] data) {
        /** The data as UTF-8 text. */
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    final String id;
    private final Process process;
    private final DataOutputStream out;
    private final DataInputStream in;

    private ContainerAgent(Process process, String id) {
        this.process = process;
        this.id = id;
        this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 64 * 1024));
        this.in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 64 * 1024));
    }

    /**
     * Starts an agent through {@code cli} and checks it answers {@code ping}.
     *
     * @throws IOException when the client cannot start or the agent does not answer (no perl in
     *                     the container: the caller falls back to one exec per operation)
     */
    static ContainerAgent start(ContainerCli cli) throws IOException {
        String id = UUID.randomUUID().toString();
        List<String> command = cli.execCommand(List.of("env", ContainerConnection.MARKER + "=" + id, "perl", "-e", SCRIPT));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ContainerAgent a = new ContainerAgent(p, id);
        try {
            Reply r = a.call("ping");
            if (r.status() != 0 || !r.text().equals("pong")) {
                throw new IOException("unexpected answer to ping");
            }
            return a;
        } catch (IOException e) {
            a.close();
            throw new IOException("no file agent (perl) in " + cli.target() + ": " + e.getMessage(), e);
        }
    }

    /** Sends one request and reads its reply. */
    Reply call(String... args) throws IOException {
        send(args);
        return reply();
    }

    /** Sends one request without reading the reply. */
    void send(String... args) throws IOException {
        out.writeInt(args.length);
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
        out.flush();
    }

    /** Reads one reply. */
    Reply reply() throws IOException {
        int status = in.readInt();
        int len = in.readInt();
        if (len < 0 || len > (256 << 20)) {
            throw new IOException("bad reply length " + len);
        }
        byte[] data = new byte[len];
        in.readFully(data);
        return new Reply(status, data);
    }

    /** The agent's stdout, for the chunks of a {@code read}. */
    DataInputStream in() {
        return in;
    }

    /** The agent's stdin, for the chunks of a {@code write}. */
    DataOutputStream out() {
        return out;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Ends the client process (the agent in the container sees EOF and exits; a kill follows on interrupt). */
    @Override
    public void close() {
        ConnectionSupport.closeQuietly(out);
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
