package dev.ringplan.engine.module;

import java.util.Map;

/**
 * In check mode, one (task, host) node upstream of the node being checked (one of its transitive
 * {@code needs}, on its own host or, through a barrier, on another) whose preview said it would
 * change, or could not tell. The check reads the world before any of them applied; the run will
 * read it after. A module that knows how such a change alters its own answer (a
 * {@code clearsnapshot} after a {@code snapshot} of the same tag on the same host) uses these to
 * answer as the run will.
 *
 * @param node    vertex name, {@code task[host]}
 * @param task    the upstream task's id
 * @param host    the host it runs on
 * @param module  its module's name, e.g. {@code nodetool}
 * @param args    its validated, rendered arguments (as {@link Args#asMap()})
 * @param change  {@link Preview.Change#YES} (would change) or {@link Preview.Change#UNKNOWN}
 * @param summary its preview's one-line summary
 */
public record UpstreamChange(String node, String task, String host, String module, Map<String, Object> args,
                             Preview.Change change, String summary) {

    /** True when this is a {@code module} task on {@code host} whose argument {@code command} is {@code command}. */
    public boolean is(String module, String host, String command) {
        return this.module.equals(module) && this.host.equals(host) && command.equals(String.valueOf(args.get("command")));
    }
}
