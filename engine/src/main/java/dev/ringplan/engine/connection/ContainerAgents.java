package dev.ringplan.engine.connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The pool of {@link ContainerAgent}s of one {@link ContainerConnection}: an idle live agent is
 * reused, a new one started when all are busy; an agent whose request fails is discarded (the
 * caller then runs {@link ContainerFiles}' shell script for that operation). When the container
 * has no perl, no agent is tried again. File streams through an agent send chunks as the caller
 * reads or writes: nothing is staged.
 */
final class ContainerAgents {
    private final ContainerConnection conn;
    private final Set<ContainerAgent> agents = ConcurrentHashMap.newKeySet();
    private final Deque<ContainerAgent> idle = new ConcurrentLinkedDeque<>();
    /** Why no agent can run in this container (no perl); null while agents work. */
    private volatile String noAgent;
    private volatile boolean interrupted;

    ContainerAgents(ContainerConnection conn) {
        this.conn = conn;
    }

    /** An idle live agent, or a new one; null when the container cannot run one (no perl). */
    private ContainerAgent borrow() throws ConnectionException {
        if (interrupted) {
            throw new CommandInterruptedException(conn.host() + ": run interrupted, file operation not started", null);
        }
        ContainerAgent a;
        while ((a = idle.poll()) != null) {
            if (a.alive()) {
                return a;
            }
            discard(a);
        }
        if (noAgent != null) {
            return null;
        }
        try {
            a = ContainerAgent.start(conn.cli());
            agents.add(a);
            return a;
        } catch (IOException e) {
            // No perl there is for good; anything else (a container restarting) is retried next time.
            if (conn.exec(List.of("sh", "-c", "command -v perl"), ExecOptions.defaults()
                    .withTimeout(Duration.ofSeconds(60))).exitStatus() != 0) {
                noAgent = e.getMessage();
            }
            return null;
        }
    }

    private void release(ContainerAgent a) {
        if (interrupted || !a.alive()) {
            discard(a);
        } else {
            idle.push(a);
        }
    }

    private void discard(ContainerAgent a) {
        agents.remove(a);
        a.close();
    }

    /** One request through an agent; null when there is none or it failed (the caller runs the script). */
    ContainerAgent.Reply call(String... args) throws ConnectionException {
        ContainerAgent a = borrow();
        if (a == null) {
            return null;
        }
        try {
            ContainerAgent.Reply r = a.call(args);
            release(a);
            return r;
        } catch (IOException e) {
            discard(a);
            return null;
        }
    }


    /** A stream of the file through an agent, or null when there is none (the caller runs cat instead). */
    InputStream openRead(String path) throws ConnectionException {
        ContainerAgent a = borrow();
        if (a == null) {
            return null;
        }
        ContainerAgent.Reply r;
        try {
            a.send("read", path);
            r = a.reply();
        } catch (IOException e) {
            discard(a);
            return null;
        }
        if (r.status() != 0) {
            release(a);
            throw new ConnectionException(conn.host() + ": cannot read " + path + ": " + ContainerFiles.reason(r));
        }
        return new AgentInput(a, path);
    }

    /** A stream into the file through an agent, or null when there is none (the caller runs cat instead). */
    OutputStream openWrite(String path) throws ConnectionException {
        ContainerAgent a = borrow();
        if (a == null) {
            return null;
        }
        ContainerAgent.Reply r;
        try {
            a.send("write", path);
            r = a.reply();
        } catch (IOException e) {
            discard(a);
            return null;
        }
        if (r.status() != 0) {
            release(a);
            throw new ConnectionException(conn.host() + ": cannot write " + path + ": " + ContainerFiles.reason(r));
        }
        return new AgentOutput(a, path);
    }

    /** Ends every agent, busy or idle, and kills its processes in the container; no new one starts. */
    void interrupt() {
        interrupted = true;
        for (ContainerAgent a : agents) {
            discard(a);
            conn.signal(a.id, "KILL");
        }
        idle.clear();
    }

    /** A file read through an agent: its chunks until the zero length, then the final reply. */
    private final class AgentInput extends InputStream {
        private final ContainerAgent agent;
        private final String path;
        private int remaining;
        private boolean done;

        AgentInput(ContainerAgent agent, String path) {
            this.agent = agent;
            this.path = path;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            try {
                if (remaining == 0) {
                    remaining = agent.in().readInt();
                    if (remaining == 0) {
                        done = true;
                        ContainerAgent.Reply end = agent.reply();
                        release(agent);
                        if (end.status() != 0) {
                            throw new IOException(conn.host() + ": cannot read " + path + ": " + ContainerFiles.reason(end));
                        }
                        return -1;
                    }
                }
                int n = agent.in().read(b, off, Math.min(len, remaining));
                if (n < 0) {
                    throw new java.io.EOFException("the file agent ended");
                }
                remaining -= n;
                return n;
            } catch (IOException e) {
                if (!done) {
                    done = true;
                    discard(agent);
                }
                throw e;
            }
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                discard(agent);
                conn.signal(agent.id, "KILL");
            }
        }
    }

    /** A file written through an agent: chunks as the caller writes, a zero length and the final reply at close. */
    private final class AgentOutput extends OutputStream {
        private final ContainerAgent agent;
        private final String path;
        private boolean closed;

        AgentOutput(ContainerAgent agent, String path) {
            this.agent = agent;
            this.path = path;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException(conn.host() + ": " + path + " is closed");
            }
            try {
                while (len > 0) {
                    int n = Math.min(len, 1 << 20);
                    agent.out().writeInt(n);
                    agent.out().write(b, off, n);
                    off += n;
                    len -= n;
                }
            } catch (IOException e) {
                closed = true;
                discard(agent);
                throw new IOException(conn.host() + ": cannot write " + path + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void flush() throws IOException {
            if (!closed) {
                agent.out().flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            ContainerAgent.Reply end;
            try {
                agent.out().writeInt(0);
                agent.out().flush();
                end = agent.reply();
            } catch (IOException e) {
                discard(agent);
                throw new IOException(conn.host() + ": cannot write " + path + ": " + e.getMessage(), e);
            }
            release(agent);
            if (end.status() != 0) {
                throw new IOException(conn.host() + ": cannot write " + path + ": " + ContainerFiles.reason(end));
            }
        }
    }

}
