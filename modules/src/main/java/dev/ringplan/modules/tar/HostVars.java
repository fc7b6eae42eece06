package dev.ringplan.modules.tar;

import dev.ringplan.engine.module.ModuleContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the Cassandra host variables the tar module needs, with the defaults of the host
 * variable contract (PREAMBLE "Cassandra host variables"). Kept private to this package on
 * purpose: the shared helper of the modules is written elsewhere.
 */
final class HostVars {
    static final String DEFAULT_DATA_DIR = "/var/lib/cassandra/data";

    private HostVars() {
    }

    /** {@code cassandra_data_dirs}: a list, or one path (commas separate several); default {@value #DEFAULT_DATA_DIR}. */
    static List<String> dataDirs(ModuleContext ctx) {
        List<String> dirs = stringList(ctx.hostVar("cassandra_data_dirs"));
        return dirs.isEmpty() ? List.of(DEFAULT_DATA_DIR) : dirs;
    }

    /** {@code ansible_host}, else the inventory hostname. */
    static String ansibleHost(ModuleContext ctx) {
        String h = str(ctx.hostVar("ansible_host"));
        return h == null ? ctx.host() : h;
    }

    /** {@code listen_address}, else {@link #ansibleHost}. */
    static String listenAddress(ModuleContext ctx) {
        String a = str(ctx.hostVar("listen_address"));
        return a == null ? ansibleHost(ctx) : a;
    }

    /** {@code cassandra_version}, or null when the inventory does not say. */
    static String cassandraVersion(ModuleContext ctx) {
        return str(ctx.hostVar("cassandra_version"));
    }

    /** {@code tokens} (a list, or a comma-separated string), or an empty list. */
    static List<String> tokens(ModuleContext ctx) {
        return stringList(ctx.hostVar("tokens"));
    }

    private static String str(Object v) {
        if (v == null) {
            return null;
        }
        String s = String.valueOf(v).strip();
        return s.isEmpty() ? null : s;
    }

    private static List<String> stringList(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                String s = str(o);
                if (s != null) {
                    out.add(s);
                }
            }
        } else if (v != null) {
            for (String part : String.valueOf(v).split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }
}
