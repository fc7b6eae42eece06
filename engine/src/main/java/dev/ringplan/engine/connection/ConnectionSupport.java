package dev.ringplan.engine.connection;

/**
 * Two small helpers the connection implementations share: a one-line reason for a failure, and
 * closing a resource without letting a failure to close hide the real outcome.
 */
final class ConnectionSupport {
    private ConnectionSupport() {
    }

    /**
     * The first non-blank message along {@code e}'s cause chain, stripped and on one line; the
     * exception's simple class name when no message exists.
     */
    static String message(Throwable e) {
        Throwable t = e;
        String m = null;
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                m = t.getMessage();
                break;
            }
            t = t.getCause();
        }
        return m == null ? e.getClass().getSimpleName() : m.strip().replace('\n', ' ');
    }

    /** Closes {@code c} (null is allowed), ignoring any failure: closing is best effort. */
    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        }
    }
}
