package dev.ringplan.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --lock-timeout} and {@code --no-lock} of the commands that change things: run and apply (a picocli mixin). */
public final class LockOptions {
    /** {@code --lock-timeout DURATION}. */
    @Option(names = "--lock-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Wait up to DURATION (30s, 5m, 1h, or seconds) for a cluster locked by another run;"
                    + " default 0: fail at once (exit 4)")
    Duration timeout = Duration.ZERO;

    /** {@code --no-lock}. */
    @Option(names = "--no-lock", description = "Take no cluster lock (another run may change the cluster at the same time)")
    boolean noLock;

    /** {@code 30s}, {@code 5m}, {@code 1h}, {@code 90} (seconds), {@code 1m30s}, or ISO-8601 {@code PT5M}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern PARTS = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

        @Override
        public Duration convert(String value) {
            return parse(value);
        }

        /**
         * Parses a duration (class doc).
         *
         * @throws TypeConversionException naming the accepted forms
         */
        static Duration parse(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            try {
                if (v.matches("\\d{1,9}")) {
                    return Duration.ofSeconds(Long.parseLong(v));
                }
                if (v.startsWith("pt")) {
                    return Duration.parse(v.toUpperCase(Locale.ROOT));
                }
                Matcher m = PARTS.matcher(v);
                if (!v.isEmpty() && m.matches()) {
                    long s = 0;
                    s += m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 3600;
                    s += m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 60;
                    s += m.group(3) == null ? 0 : Long.parseLong(m.group(3));
                    return Duration.ofSeconds(s);
                }
            } catch (RuntimeException e) {
                // fall through to the message
            }
            throw new TypeConversionException("'" + value + "' is not a duration: give e.g. 30s, 5m, 1h30m or"
                    + " seconds (90)");
        }
    }
}
