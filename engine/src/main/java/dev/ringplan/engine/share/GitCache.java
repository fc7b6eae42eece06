package dev.ringplan.engine.share;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Bare clones of the repositories imports and remote plans come from, under the user's cache
 * directory ({@link #defaultDir}), fetched with JGit: every branch and tag, and the remote HEAD,
 * forced (a moved tag is seen as moved). One directory per repository URL:
 * {@code <cache>/git/<first 16 hex of SHA-256(url)>.git}. Files are read from a commit's tree;
 * nothing is checked out.
 */
public final class GitCache {
    /** Environment variable naming the cache directory (tests point it at a temporary one). */
    public static final String ENV = "RINGPLAN_CACHE_DIR";
    /** System property naming the cache directory, checked after {@link #ENV}. */
    public static final String PROPERTY = "ringplan.cache.dir";
    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");
    private static final String REMOTE_HEAD = "refs/ringplan/HEAD";

    private final Path dir;

    /** A cache in {@code dir}. */
    public GitCache(Path dir) {
        this.dir = dir;
    }

    /**
     * The cache directory: {@code $RINGPLAN_CACHE_DIR}, else the {@code ringplan.cache.dir} system
     * property, else {@code $XDG_CACHE_HOME/ringplan}, else {@code ~/.cache/ringplan} (the XDG base
     * directory specification's default).
     */
    public static Path defaultDir(Map<String, String> env) {
        String explicit = env.get(ENV);
        if (explicit == null || explicit.isBlank()) {
            explicit = System.getProperty(PROPERTY);
        }
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "ringplan");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "ringplan");
    }

    /** The cache's directory. */
    public Path dir() {
        return dir;
    }

    /** Why a repository could not be fetched or read: its message says which and why. */
    public static final class GitException extends Exception {
        private static final long serialVersionUID = 1L;

        GitException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Fetches {@code repoUrl} into the cache and returns the commit {@code ref} points at now: a
     * tag (annotated tags peeled), a branch, a full commit SHA-1, or null for the remote HEAD.
     *
     * @throws GitException when the fetch fails or the ref is unknown there
     */
    public String resolve(String repoUrl, String ref) throws GitException {
        try (Repository repo = open(repoUrl)) {
            boolean isSha = ref != null && SHA1.matcher(ref).matches();
            if (!isSha || !repo.getObjectDatabase().has(ObjectId.fromString(ref))) {
                fetch(repo, repoUrl, ref == null);
            }
            String[] candidates = ref == null ? new String[] {REMOTE_HEAD}
                    : isSha ? new String[] {ref}
                    : new String[] {"refs/tags/" + ref, "refs/heads/" + ref};
            for (String c : candidates) {
                ObjectId id = repo.resolve(c + "^{commit}");
                if (id != null) {
                    return id.name();
                }
            }
            throw new GitException(repoUrl + " has no tag, branch or commit '" + (ref == null ? "HEAD" : ref) + "'", null);
        } catch (IOException e) {
            throw new GitException("cannot read " + repoUrl + " in the cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The text of {@code path} in {@code commit} of {@code repoUrl} (already fetched by
     * {@link #resolve}), or null when the commit has no such file.
     *
     * @throws GitException when the commit is not in the cache
     */
    public String read(String repoUrl, String commit, String path) throws GitException {
        try (Repository repo = open(repoUrl); RevWalk walk = new RevWalk(repo)) {
            RevCommit c;
            try {
                c = walk.parseCommit(ObjectId.fromString(commit));
            } catch (org.eclipse.jgit.errors.MissingObjectException e) {
                fetch(repo, repoUrl, false);
                c = walk.parseCommit(ObjectId.fromString(commit));
            }
            try (TreeWalk tw = TreeWalk.forPath(repo, path, c.getTree())) {
                if (tw == null || tw.isSubtree()) {
                    return null;
                }
                ObjectLoader loader = repo.open(tw.getObjectId(0));
                return new String(loader.getBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new GitException("cannot read " + path + " at " + commit + " of " + repoUrl + ": " + e.getMessage(), e);
        }
    }

    private Repository open(String repoUrl) throws IOException, GitException {
        Path gitDir = dir.resolve("git").resolve(key(repoUrl) + ".git");
        if (!Files.isDirectory(gitDir)) {
            Files.createDirectories(gitDir.getParent());
            try {
                Git.init().setBare(true).setGitDir(gitDir.toFile()).call().close();
            } catch (GitAPIException e) {
                throw new GitException("cannot create the cache repository " + gitDir + ": " + e.getMessage(), e);
            }
        }
        return new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
    }

    private static void fetch(Repository repo, String repoUrl, boolean head) throws GitException {
        try (Git git = new Git(repo)) {
            git.fetch().setRemote(repoUrl).setTagOpt(TagOpt.NO_TAGS).setRemoveDeletedRefs(true)
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                    .call();
            if (head) {
                git.fetch().setRemote(repoUrl).setTagOpt(TagOpt.NO_TAGS)
                        .setRefSpecs(new RefSpec("+HEAD:" + REMOTE_HEAD)).call();
            }
        } catch (GitAPIException | RuntimeException e) {
            throw new GitException("cannot fetch " + repoUrl + ": " + e.getMessage()
                    + (repoUrl.startsWith("ssh://") ? " (git+ssh:// goes through JGit's external ssh: set GIT_SSH=ssh)" : ""), e);
        }
    }

    private static String key(String repoUrl) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(repoUrl.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
