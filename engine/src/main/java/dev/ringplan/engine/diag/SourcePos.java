package dev.ringplan.engine.diag;

/**
 * A position in a source file, for diagnostics: {@code file:line:column}, both 1-based.
 *
 * @param file   the file as the user named it (relative paths stay relative)
 * @param line   1-based line, 0 when unknown
 * @param column 1-based column (code points), 0 when unknown
 */
public record SourcePos(String file, int line, int column) {

    /** A position that names only the file (line and column unknown). */
    public static SourcePos ofFile(String file) {
        return new SourcePos(file, 0, 0);
    }

    /**
     * Converts a snakeyaml {@link org.yaml.snakeyaml.error.Mark} (0-based line and column)
     * into a 1-based position.
     */
    public static SourcePos of(String file, org.yaml.snakeyaml.error.Mark mark) {
        if (mark == null) {
            return ofFile(file);
        }
        return new SourcePos(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    @Override
    public String toString() {
        if (line <= 0) {
            return file;
        }
        return file + ":" + line + ":" + column;
    }
}
