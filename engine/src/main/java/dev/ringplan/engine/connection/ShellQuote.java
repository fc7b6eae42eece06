package dev.ringplan.engine.connection;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Quotes arguments for a POSIX shell ({@code sh -c}), so that an argument list sent over SSH as
 * one command string reaches the remote program exactly as it was given.
 *
 * <p>Rule (POSIX.1-2017, Shell Command Language, 2.2.2 "Single-Quotes": "Enclosing characters in
 * single-quotes shall preserve the literal value of each character within the single-quotes. A
 * single-quote cannot occur within single-quotes."): every argument that is not made only of
 * characters no shell treats specially is wrapped in single quotes, and each single quote inside
 * it becomes {@code '"'"'} (close, a double-quoted quote, reopen). Newlines, {@code $}, backticks,
 * backslashes and non-ASCII text need nothing more inside single quotes. The same technique as
 * Python's {@code shlex.quote}. {@code =} and {@code ~} are not in the safe set, so a first word
 * like {@code A=B} is never taken for an assignment and {@code ~x} never tilde-expands.
 *
 * <p>The remote login shell must be POSIX-compatible (sh, bash, dash, ksh, zsh); csh and fish
 * parse quotes differently.
 */
public final class ShellQuote {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+:,./-]+");

    private ShellQuote() {
    }

    /**
     * One argument quoted for a POSIX shell: unchanged when made only of {@code [A-Za-z0-9_@%+:,./-]},
     * otherwise single-quoted; the empty string becomes {@code ''}.
     *
     * @throws IllegalArgumentException when {@code arg} contains a NUL character, which no
     *                                  program argument can carry
     * @throws NullPointerException     when {@code arg} is null
     */
    public static String quote(String arg) {
        if (arg.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("argument contains a NUL character, which a command argument cannot carry");
        }
        if (!arg.isEmpty() && SAFE.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\"'\"'") + "'";
    }

    /**
     * The arguments quoted with {@link #quote} and joined by single spaces: a command string that
     * {@code sh -c} splits back into exactly {@code argv}.
     *
     * @throws IllegalArgumentException when {@code argv} is empty or an argument contains NUL
     */
    public static String join(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argument list");
        }
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quote(a));
        }
        return sb.toString();
    }
}
