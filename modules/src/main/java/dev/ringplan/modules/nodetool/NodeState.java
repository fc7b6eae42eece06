package dev.ringplan.modules.nodetool;

/**
 * A node's ring state: the second letter of {@code nodetool status} ({@code N}, {@code L},
 * {@code J}, {@code M}) or the State column of {@code nodetool ring} ({@code Normal},
 * {@code Leaving}, {@code Joining}, {@code Moving}).
 */
public enum NodeState {
    /** N / Normal. */
    NORMAL,
    /** L / Leaving. */
    LEAVING,
    /** J / Joining. */
    JOINING,
    /** M / Moving. */
    MOVING;

    /** From a state letter or word, or null when {@code s} is not one. */
    public static NodeState parse(String s) {
        switch (s) {
            case "N": case "Normal":
                return NORMAL;
            case "L": case "Leaving":
                return LEAVING;
            case "J": case "Joining":
                return JOINING;
            case "M": case "Moving":
                return MOVING;
            default:
                return null;
        }
    }

    /** Lower-case name used in registered data: normal, leaving, joining, moving. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
