package dev.ringplan.modules.tar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * How a snapshot archive is compressed, with the file name suffix each choice gives
 * ({@code .tar}, {@code .tar.gz}, {@code .tar.zst}) and its default level.
 */
public enum Compression {
    /** Plain tar: the fastest; SSTables are usually LZ4-compressed already. */
    NONE(".tar", 0),
    /** gzip (RFC 1952) through {@link java.util.zip.Deflater}; default level 6, as {@code gzip} and {@code tar -z}. */
    GZIP(".tar.gz", 6),
    /** Zstandard (RFC 8878) through zstd-jni, frame checksum on; default level 1 (the fastest regular level). */
    ZSTD(".tar.zst", 1);

    /** The default of {@code tar} create (see the module doc for the measurements behind it). */
    public static final Compression DEFAULT = ZSTD;

    private final String suffix;
    private final int defaultLevel;

    Compression(String suffix, int defaultLevel) {
        this.suffix = suffix;
        this.defaultLevel = defaultLevel;
    }

    /** The archive file name suffix, e.g. {@code .tar.zst}. */
    public String suffix() {
        return suffix;
    }

    /** The level used when the task gives none (0 for {@link #NONE}). */
    public int defaultLevel() {
        return defaultLevel;
    }

    /** The argument spelling: {@code none}, {@code gzip}, {@code zstd}. */
    public String argName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The choice named {@code s} ({@code none|gzip|zstd}, case-insensitive).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Compression parse(String s) {
        for (Compression c : values()) {
            if (c.argName().equalsIgnoreCase(s.strip())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression '" + s + "', expected none, gzip or zstd");
    }

    /**
     * Checks {@code level} for this compression: gzip 1–9, zstd 1–19 (negative "fast" levels
     * and the ultra levels 20–22 are refused), none only 0.
     *
     * @return null when fine, else a phrase saying what is allowed
     */
    public String checkLevel(int level) {
        switch (this) {
            case GZIP:
                return level >= 1 && level <= 9 ? null : "gzip level must be 1..9, got " + level;
            case ZSTD:
                return level >= 1 && level <= 19 ? null : "zstd level must be 1..19, got " + level;
            default:
                return level == 0 ? null : "compression none takes no level, got " + level;
        }
    }

    /**
     * Wraps {@code out} in this compressor; closing the result finishes the stream and closes
     * {@code out}.
     *
     * @param level a level accepted by {@link #checkLevel}
     * @throws IOException when the compressor cannot start (e.g. zstd native library missing)
     */
    public OutputStream wrap(OutputStream out, int level) throws IOException {
        switch (this) {
            case GZIP:
                GzipParameters p = new GzipParameters();
                p.setCompressionLevel(level);
                return new GzipCompressorOutputStream(out, p);
            case ZSTD:
                return new ZstdCompressorOutputStream(out, level, false, true);
            default:
                return out;
        }
    }

    /**
     * Wraps {@code in} in this decompressor (gzip: every concatenated member is read, as
     * {@code gunzip} does); closing the result closes {@code in}.
     *
     * @throws IOException when the stream does not start like this format (e.g. no gzip magic)
     */
    public InputStream unwrap(InputStream in) throws IOException {
        switch (this) {
            case GZIP:
                return new GzipCompressorInputStream(in, true);
            case ZSTD:
                return new ZstdCompressorInputStream(in);
            default:
                return in;
        }
    }

    /**
     * The compression whose {@link #suffix()} ends {@code fileName} ({@code .tar.zst} before
     * {@code .tar}), or null when none does.
     */
    public static Compression ofFileName(String fileName) {
        for (Compression c : new Compression[]{ZSTD, GZIP, NONE}) {
            if (fileName.endsWith(c.suffix) && fileName.length() > c.suffix.length()) {
                return c;
            }
        }
        return null;
    }
}
