package dev.ringplan.modules.fsclear;

import dev.ringplan.engine.module.ReturnSpec;

/**
 * The keys {@code fs_clear} registers: its {@link FsClearModule#returns()}. Check mode registers
 * the same keys, with what would be removed and put back.
 */
final class FsClearReturns {
    /** The declaration. */
    static final ReturnSpec SPEC = ReturnSpec.builder()
            .key(ReturnSpec.key("removed", ReturnSpec.Type.INT, "number of entries removed or moved (files, links,"
                    + " directories)"))
            .key(ReturnSpec.key("bytes", ReturnSpec.Type.INT, "sum of the sizes of the regular files removed or moved"))
            .key(ReturnSpec.key("paths", ReturnSpec.Type.LIST, "the first " + FsClearReport.RESULT_PATHS
                    + " of them (check mode: the first " + FsClearReport.PREVIEW_PATHS + "), a directory before its"
                    + " content"))
            .key(ReturnSpec.key("moved_to", ReturnSpec.Type.STR, "the move_to directory, or null when deleted").nullable())
            .key(ReturnSpec.key("kept", ReturnSpec.Type.LIST, "paths left in place because of keep, move_to or a"
                    + " nested declared directory"))
            .key(ReturnSpec.key("targets", ReturnSpec.Type.LIST, "the paths cleared, globs expanded"))
            .key(ReturnSpec.key("node_running", ReturnSpec.Type.BOOL, "whether the node ran (true when"
                    + " allow_running: true let the task clear a running node, or in check mode)"))
            .key(ReturnSpec.key("running_evidence", ReturnSpec.Type.STR, "what the running probe found, or null when"
                    + " nothing needed probing").nullable())
            .key(ReturnSpec.key("restore_from", ReturnSpec.Type.STR, "the restore_from directory, or null").nullable())
            .key(ReturnSpec.key("put_back", ReturnSpec.Type.INT, "number of entries put back (files, links,"
                    + " directories; 0 without restore_from)"))
            .key(ReturnSpec.key("put_back_bytes", ReturnSpec.Type.INT, "sum of the sizes of the regular files put back"))
            .key(ReturnSpec.key("put_back_paths", ReturnSpec.Type.LIST, "the first " + FsClearReport.RESULT_PATHS
                    + " live paths put back (check mode: the first " + FsClearReport.PREVIEW_PATHS + "), a directory"
                    + " before its content"))
            .key(ReturnSpec.key("already_back", ReturnSpec.Type.INT, "set-aside entries found back already (resumed"
                    + " put-back; their copy removed)"))
            .key(ReturnSpec.key("resumed", ReturnSpec.Type.BOOL, "true when an interrupted put-back was resumed (the"
                    + " clearing step was skipped)"))
            .build();

    private FsClearReturns() {
    }
}
