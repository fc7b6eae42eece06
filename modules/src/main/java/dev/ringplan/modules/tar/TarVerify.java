package dev.ringplan.modules.tar;

import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tar} {@code action: verify}: checks a stored backup ({@link StoredBackup}) against its
 * manifest without restoring: every entry's size and SHA-256 ({@link ArchiveReader},
 * {@link StoreReader}), and that it holds the keyspaces and tables a restore would ask for.
 * Needs no connection to the node.
 */
final class TarVerify {
    private TarVerify() {
    }

    /** Check mode: finds the backup and its manifest; reads neither archive nor store. */
    static Preview check(ModuleContext ctx) throws ModuleException {
        StoredBackup st = StoredBackup.locate(ctx);
        return Preview.noChange("would verify " + st.source() + " against " + st.manifestPath())
                .withData(Map.of(st.archive() == null ? "store" : "archive",
                        st.archive() == null ? st.store().root().toString() : st.archive().toString(),
                        "manifest", st.manifestPath().toString()));
    }

    /**
     * Reads the whole backup and checks it against its manifest (read-only; runs in check mode too).
     *
     * @throws ModuleException naming the file at fault, or what the backup lacks
     */
    static Result apply(ModuleContext ctx) throws ModuleException {
        StoredBackup st;
        try {
            st = StoredBackup.locate(ctx);
        } catch (StoredBackup.MissingBackup e) {
            if (!ctx.checkMode() || ctx.args().bool("must_exist", false)) {
                throw e;
            }
            // The backup is known after an earlier task writes it: verify's keys, values null.
            Map<String, Object> d = new LinkedHashMap<>();
            for (String k : List.of("manifest", "mode", "files", "bytes", "snapshot", "host")) {
                d.put(k, null);
            }
            d.put("verified", false);
            return Result.ok("not verified: " + e.getMessage() + " yet (an earlier task may create it)").withData(d);
        }
        RestorePlanner.checkHolds(st.manifest(), ctx.args().list("keyspaces"), ctx.args().list("tables"));
        long t0 = System.nanoTime();
        ArchiveReader.Verified v = st.reader(true).read(null);
        double secs = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
        ctx.log(String.format(java.util.Locale.ROOT, "verified %d bytes in %.1f s (%.1f MB/s)", v.archiveBytes(), secs,
                v.archiveBytes() / secs / 1e6));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(st.archive() == null ? "store" : "archive",
                st.archive() == null ? st.store().root().toString() : st.archive().toString());
        d.put("manifest", st.manifestPath().toString());
        d.put("mode", st.manifest().differential() ? "differential" : "full");
        d.put("files", v.files());
        d.put("bytes", v.bytes());
        if (st.archive() != null) {
            d.put("archive_bytes", v.archiveBytes());
            d.put("sha256", v.archiveSha256());
        }
        d.put("snapshot", st.manifest().snapshot());
        d.put("host", st.manifest().host());
        d.put("verified", true);
        return Result.ok(st.source() + " verified: " + v.files() + " files, " + v.bytes() + " bytes"
                + (st.archive() == null ? " (every store file's SHA-256 checked)" : ", SHA-256 " + v.archiveSha256()))
                .withData(d);
    }
}
