package dev.ringplan.engine.share;

import java.util.Locale;

/**
 * A file in a git repository at a ref, written as pip and Terraform write such sources:
 * {@code git+https://host/ops/plans.git//tasks/health.yaml?ref=v1.4} ({@code git+ssh://} and
 * {@code git+file://} too). The part before {@code //} after the host is the repository, the part
 * after it the file's path in the repository; {@code ?ref=} names a tag, a branch or a commit
 * (default: the repository's HEAD).
 *
 * @param repoUrl the repository's URL as JGit fetches it ({@code https://...}, {@code ssh://...},
 *                {@code file:///...}), without the {@code git+}
 * @param path    the file's path inside the repository, {@code /}-separated, no leading {@code /}
 * @param ref     tag, branch or commit; null for the remote HEAD
 */
public record GitSource(String repoUrl, String path, String ref) {
    private static final String[] SCHEMES = {"git+https://", "git+http://", "git+ssh://", "git+file://"};

    /** True when {@code text} is a git source ({@code git+https://}, {@code git+http://}, {@code git+ssh://}, {@code git+file://}). */
    public static boolean isGit(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (String s : SCHEMES) {
            if (t.startsWith(s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses a git source.
     *
     * @throws IllegalArgumentException saying what is wrong and what is expected
     */
    public static GitSource parse(String text) {
        String t = text.strip();
        if (!isGit(t)) {
            throw new IllegalArgumentException("'" + t + "' is not a git source: expected git+https://, git+ssh:// or git+file://");
        }
        String ref = null;
        int q = t.indexOf('?');
        if (q >= 0) {
            String query = t.substring(q + 1);
            t = t.substring(0, q);
            for (String part : query.split("&")) {
                if (part.startsWith("ref=") && part.length() > 4) {
                    ref = part.substring(4);
                } else {
                    throw new IllegalArgumentException("unknown query '" + part + "' in '" + text.strip()
                            + "': only ?ref=TAG|BRANCH|COMMIT is understood");
                }
            }
        }
        String url = t.substring(4);
        int schemeEnd = url.indexOf("://") + 3;
        int split = url.indexOf("//", schemeEnd + 1);
        if (split < 0 || split + 2 >= url.length()) {
            throw new IllegalArgumentException("'" + text.strip() + "' names no file in the repository: write"
                    + " REPOSITORY//PATH, e.g. git+https://host/ops/plans.git//tasks/health.yaml?ref=v1");
        }
        String repo = url.substring(0, split);
        int at = repo.indexOf('@', schemeEnd);
        if (at > 0 && repo.substring(schemeEnd, at).contains(":")) {
            throw new IllegalArgumentException("'" + repo.substring(0, schemeEnd) + "...' holds a password: it would be"
                    + " written to ringplan.lock and the run journal; use an SSH key or git's credential store instead");
        }
        String path = url.substring(split + 2);
        if (path.startsWith("/") || path.contains("/../") || path.startsWith("../") || path.equals("..")) {
            throw new IllegalArgumentException("the path '" + path + "' in '" + text.strip() + "' must be relative to the repository root");
        }
        return new GitSource(repo, path, ref);
    }

    /** The same repository and ref, another file of it. */
    public GitSource withPath(String newPath) {
        return new GitSource(repoUrl, newPath, ref);
    }

    /** The ref as written, or {@code HEAD}. */
    public String refOrHead() {
        return ref == null ? "HEAD" : ref;
    }

    /** The source as written: {@code git+URL//PATH?ref=REF}. */
    @Override
    public String toString() {
        return "git+" + repoUrl + "//" + path + (ref == null ? "" : "?ref=" + ref);
    }
}
