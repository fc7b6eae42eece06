package dev.ringplan.engine.connection;

import static dev.ringplan.engine.connection.ConnectionSupport.message;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * The file operations of an {@link SshConnection} ({@link Connection#openRead},
 * {@link Connection#openWrite}, {@code stat}, {@code list}, {@code mkdirs}, {@code delete},
 * {@code rename}) over its SFTP channel: reads with up to {@value #IN_FLIGHT} read-ahead
 * requests, writes through {@link SftpChunkedOutput}, SFTP status codes turned into the
 * {@link Connection} contract (a missing file is an empty answer where the contract says so,
 * otherwise a {@link ConnectionException} saying "no such file or directory" or
 * "permission denied").
 */
final class SftpFiles {
    /** SFTP requests sent ahead of their answers, reading or writing. */
    static final int IN_FLIGHT = 16;

    /** Where the SFTP client comes from; the connection opens it lazily and reconnects. */
    @FunctionalInterface
    interface Channel {
        /** The live SFTP client. */
        SFTPClient get() throws ConnectionException;
    }

    private final String prefix;
    private final Channel sftp;

    /**
     * @param prefix {@code host (user@address:port)}, for messages
     * @param sftp   the connection's SFTP client source
     */
    SftpFiles(String prefix, Channel sftp) {
        this.prefix = prefix;
        this.sftp = sftp;
    }

    InputStream openRead(String path) throws ConnectionException {
        SFTPClient s = sftp.get();
        RemoteFile rf;
        try {
            rf = s.open(path, EnumSet.of(OpenMode.READ));
        } catch (IOException e) {
            throw fileError("cannot read", path, e);
        }
        InputStream in = rf.new ReadAheadRemoteFileInputStream(IN_FLIGHT);
        return new FilterInputStream(in) {
            private boolean done;

            @Override
            public void close() throws IOException {
                if (done) {
                    return;
                }
                done = true;
                try {
                    super.close();
                } finally {
                    rf.close();
                }
            }
        };
    }

    OutputStream openWrite(String path) throws ConnectionException {
        SFTPClient s = sftp.get();
        RemoteFile rf;
        try {
            rf = s.open(path, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC));
        } catch (IOException e) {
            throw fileError("cannot write", path, e);
        }
        return new SftpChunkedOutput(rf);
    }

    Optional<FileStat> stat(String path) throws ConnectionException {
        SFTPClient s = sftp.get();
        try {
            return Optional.of(toStat(path, baseName(path), s.lstat(path)));
        } catch (SFTPException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw fileError("cannot stat", path, e);
        } catch (IOException e) {
            throw fileError("cannot stat", path, e);
        }
    }

    List<FileStat> list(String dir) throws ConnectionException {
        SFTPClient s = sftp.get();
        List<RemoteResourceInfo> infos;
        try {
            infos = s.ls(dir);
        } catch (SFTPException e) {
            if (isMissing(e)) {
                return List.of();
            }
            throw fileError("cannot list", dir, e);
        } catch (IOException e) {
            throw fileError("cannot list", dir, e);
        }
        String base = dir.endsWith("/") ? dir : dir + "/";
        List<FileStat> result = new ArrayList<>();
        for (RemoteResourceInfo i : infos) {
            String name = i.getName();
            if (!name.equals(".") && !name.equals("..")) {
                result.add(toStat(base + name, name, i.getAttributes()));
            }
        }
        result.sort(Comparator.comparing(FileStat::name));
        return result;
    }

    void mkdirs(String dir) throws ConnectionException {
        SFTPClient s = sftp.get();
        Optional<FileStat> st = stat(dir);
        if (st.isPresent()) {
            if (!st.get().isDirectory()) {
                throw new ConnectionException(prefix + ": cannot create directory " + dir + ": a file of that name exists");
            }
            return;
        }
        // One level at a time, like mkdir -p: a directory that another task (of this run, on
        // this same connection, or another client) creates between our stat and our mkdir is
        // not an error (SFTP v3 answers a plain FAILURE for an existing directory).
        List<String> missing = new ArrayList<>();
        for (String d = dir; d != null && !d.isEmpty() && !d.equals("/"); d = parentOf(d)) {
            Optional<FileStat> at = stat(d);
            if (at.isPresent()) {
                if (!at.get().isDirectory()) {
                    throw new ConnectionException(prefix + ": cannot create directory " + dir + ": " + d + " is not a directory");
                }
                break;
            }
            missing.add(0, d);
        }
        for (String d : missing) {
            try {
                s.mkdir(d);
            } catch (IOException e) {
                Optional<FileStat> now = stat(d);
                if (now.isEmpty() || !now.get().isDirectory()) {
                    throw fileError("cannot create directory", d, e);
                }
            }
        }
    }

    /** The parent of a slash-separated path, or null for a top-level name. */
    private static String parentOf(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        int i = p.lastIndexOf('/');
        return i <= 0 ? (i == 0 ? "/" : null) : p.substring(0, i);
    }

    void delete(String path) throws ConnectionException {
        SFTPClient s = sftp.get();
        Optional<FileStat> st = stat(path);
        if (st.isEmpty()) {
            return;
        }
        try {
            if (st.get().isDirectory()) {
                s.rmdir(path);
            } else {
                s.rm(path);
            }
        } catch (SFTPException e) {
            if (!isMissing(e)) {
                throw fileError("cannot delete", path, e);
            }
        } catch (IOException e) {
            throw fileError("cannot delete", path, e);
        }
    }

    void rename(String from, String to) throws ConnectionException {
        SFTPClient s = sftp.get();
        if (stat(to).isPresent()) {
            throw new ConnectionException(prefix + ": cannot rename " + from + " to " + to + ": target already exists");
        }
        try {
            s.rename(from, to);
        } catch (IOException e) {
            throw new ConnectionException(prefix + ": cannot rename " + from + " to " + to + ": " + sftpReason(e), e);
        }
    }

    private static boolean isMissing(SFTPException e) {
        return e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE
                || e.getStatusCode() == Response.StatusCode.NO_SUCH_PATH;
    }

    private ConnectionException fileError(String what, String path, IOException e) {
        return new ConnectionException(prefix + ": " + what + " " + path + ": " + sftpReason(e), e);
    }

    private static String sftpReason(IOException e) {
        if (e instanceof SFTPException s) {
            if (isMissing(s)) {
                return "no such file or directory";
            }
            if (s.getStatusCode() == Response.StatusCode.PERMISSION_DENIED) {
                return "permission denied";
            }
        }
        return message(e);
    }

    private static FileStat toStat(String path, String name, FileAttributes a) {
        FileMode.Type t = a.getType();
        FileStat.Type type = t == FileMode.Type.DIRECTORY ? FileStat.Type.DIRECTORY
                : t == FileMode.Type.REGULAR ? FileStat.Type.FILE
                : t == FileMode.Type.SYMLINK ? FileStat.Type.SYMLINK
                : FileStat.Type.OTHER;
        return new FileStat(path, name, type, type == FileStat.Type.DIRECTORY ? 0 : a.getSize(), a.getMtime() * 1000L);
    }

    private static String baseName(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int i = p.lastIndexOf('/');
        return i < 0 || p.length() == 1 ? p : p.substring(i + 1);
    }
}
