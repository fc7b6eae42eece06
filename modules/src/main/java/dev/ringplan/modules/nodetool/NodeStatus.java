package dev.ringplan.modules.nodetool;

/**
 * Whether gossip sees a node up: the first letter of {@code nodetool status} ({@code U}, {@code D},
 * {@code ?}) or the Status column of {@code nodetool ring} ({@code Up}, {@code Down}, {@code ?}).
 */
public enum NodeStatus {
    /** U / Up. */
    UP,
    /** D / Down. */
    DOWN,
    /** ? : neither in the live nor in the dead set. */
    UNKNOWN;

    /** From a status letter or word, or null when {@code s} is not one. */
    public static NodeStatus parse(String s) {
        switch (s) {
            case "U": case "Up":
                return UP;
            case "D": case "Down":
                return DOWN;
            case "?":
                return UNKNOWN;
            default:
                return null;
        }
    }

    /** Lower-case name used in registered data: up, down, unknown. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
