package dev.ringplan.modules.command;

import java.util.ArrayList;
import java.util.List;
import dev.ringplan.engine.connection.ShellQuote;

/**
 * Splits a command line into words the way a POSIX shell does, without any expansion (the same
 * rules as Python's {@code shlex.split} in POSIX mode, which Ansible's {@code command} module
 * uses): blanks separate words; single quotes keep everything literally; double quotes keep
 * everything except that a backslash escapes {@code $ ` " \} and newline; outside quotes a
 * backslash escapes the next character. No variables, globs, tildes, redirections or pipes: a
 * {@code |} or {@code >} is an ordinary character. Quoting words back (for display) is
 * {@link ShellQuote}'s one rule, which every place that quotes for a POSIX shell uses.
 */
public final class ShellWords {
    private ShellWords() {
    }

    /**
     * Splits {@code line} into words.
     *
     * @throws IllegalArgumentException on an unterminated quote or a trailing backslash, naming
     *                                  the column (1-based) where the quote opened
     */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated single quote at column " + (i + 1));
                }
                cur.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                int open = i;
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = line.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && "$`\"\\\n".indexOf(line.charAt(i + 1)) >= 0) {
                        if (line.charAt(i + 1) != '\n') {
                            cur.append(line.charAt(i + 1));
                        }
                        i += 2;
                        continue;
                    }
                    cur.append(d);
                    i++;
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated double quote at column " + (open + 1));
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("trailing backslash at column " + (i + 1));
                }
                char d = line.charAt(i + 1);
                if (d != '\n') {
                    cur.append(d);
                    inWord = true;
                }
                i += 2;
            } else {
                cur.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }

    /** Quotes one word for a POSIX shell: {@link ShellQuote#quote}. */
    public static String quote(String word) {
        return ShellQuote.quote(word);
    }

    /**
     * Joins {@code argv} into one line that {@link #split} (and a POSIX shell) turns back into
     * {@code argv}: {@link ShellQuote#join}, and the empty string for an empty list.
     */
    public static String join(List<String> argv) {
        return argv.isEmpty() ? "" : ShellQuote.join(argv);
    }
}
