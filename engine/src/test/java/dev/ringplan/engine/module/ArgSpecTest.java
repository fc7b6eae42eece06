package dev.ringplan.engine.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ArgSpec}'s rules between arguments, statically ({@link ArgSpec#checkStatic}, what the
 * compiler reports) and at run time ({@link ArgSpec#validate}, on rendered values).
 */
class ArgSpecTest {

    /** A tar-like spec: an action selector with a default, and each rule kind. */
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg(ArgDef.of("action", ArgDef.Type.STR, "what").withDefault("create").choices("create", "extract", "purge"))
            .arg(ArgDef.of("mode", ArgDef.Type.STR, "create: how").withDefault("full").choices("full", "differential"))
            .arg(ArgDef.of("dest", ArgDef.Type.STR, "where"))
            .arg(ArgDef.of("src", ArgDef.Type.STR, "from"))
            .arg(ArgDef.of("store", ArgDef.Type.STR, "store"))
            .arg(ArgDef.of("target_dir", ArgDef.Type.STR, "extract: where"))
            .arg(ArgDef.of("user", ArgDef.Type.STR, "login"))
            .arg(ArgDef.of("password", ArgDef.Type.STR, "secret"))
            .arg(ArgDef.of("keep_last", ArgDef.Type.INT, "purge: keep"))
            .arg(ArgDef.of("older_than_days", ArgDef.Type.INT, "purge: age"))
            .arg(ArgDef.of("overwrite", ArgDef.Type.BOOL, "replace").withDefault(false))
            .onlyFor("action", List.of("create"), "mode")
            .onlyFor("action", List.of("create", "purge"), "store")
            .onlyFor("mode", List.of("differential"), "store")
            .onlyFor("action", List.of("extract"), "target_dir")
            .mutuallyExclusive("src", "dest")
            .requiredTogether("user", "password")
            .requiredIf("action", "create", "dest")
            .requiredIfAny("action", "purge", "keep_last", "older_than_days")
            .build();

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<String> staticMessages(ArgSpec spec, Map<String, Object> raw) {
        return spec.checkStatic(raw).stream().map(ArgSpec.ArgProblem::message).toList();
    }

    private static String runtimeError(ArgSpec spec, Map<String, Object> rendered) {
        return assertThrows(ModuleException.class, () -> spec.validate("m", rendered)).getMessage();
    }

    // ---- mutually_exclusive ----

    @Test
    void mutuallyExclusive_bothGiven_reportedAtTheSecond() throws Exception {
        List<ArgSpec.ArgProblem> p = SPEC.checkStatic(args("src", "/a", "dest", "/b"));
        assertEquals(List.of(new ArgSpec.ArgProblem("dest", "arguments 'src' and 'dest' are mutually exclusive")), p);
        assertEquals("m: arguments 'src' and 'dest' are mutually exclusive", runtimeError(SPEC, args("src", "/a", "dest", "/b")));
    }

    @Test
    void mutuallyExclusive_nullCountsAsAbsent() throws Exception {
        assertEquals(List.of(), staticMessages(SPEC, args("src", null, "dest", "/b")));
        assertEquals("/b", SPEC.validate("m", args("src", null, "dest", "/b")).str("dest"));
    }

    @Test
    void mutuallyExclusive_defaultsDoNotCount() throws Exception {
        ArgSpec spec = ArgSpec.builder()
                .arg(ArgDef.of("a", ArgDef.Type.STR, "a").withDefault("x"))
                .arg(ArgDef.of("b", ArgDef.Type.STR, "b"))
                .mutuallyExclusive("a", "b")
                .build();
        assertEquals(List.of(), staticMessages(spec, args("b", "y")));
        assertEquals("y", spec.validate("m", args("b", "y")).str("b"));
        assertEquals(List.of("arguments 'a' and 'b' are mutually exclusive"), staticMessages(spec, args("a", "x", "b", "y")));
    }

    @Test
    void mutuallyExclusive_templatedValueCountsAsGivenStatically_nullRenderingIsAbsentAtRunTime() throws Exception {
        assertEquals(List.of("arguments 'src' and 'dest' are mutually exclusive"),
                staticMessages(SPEC, args("src", "{{ s }}", "dest", "/b")));
        assertEquals("/b", SPEC.validate("m", args("src", null, "dest", "/b")).str("dest"));
    }

    // ---- required_together ----

    @Test
    void requiredTogether_oneMissing_reported() {
        assertEquals(List.of(new ArgSpec.ArgProblem("user",
                        "arguments 'user', 'password' are required together; missing 'password'")),
                SPEC.checkStatic(args("dest", "/b", "user", "u")));
        assertEquals("m: arguments 'user', 'password' are required together; missing 'password'",
                runtimeError(SPEC, args("dest", "/b", "user", "u")));
    }

    @Test
    void requiredTogether_noneOrBoth_ok_andANonNullDefaultCounts() throws Exception {
        assertEquals(List.of(), staticMessages(SPEC, args("dest", "/b")));
        assertEquals(List.of(), staticMessages(SPEC, args("dest", "/b", "user", "u", "password", "p")));
        ArgSpec spec = ArgSpec.builder()
                .arg(ArgDef.of("port", ArgDef.Type.INT, "p").withDefault(22L))
                .arg(ArgDef.of("host", ArgDef.Type.STR, "h"))
                .requiredTogether("port", "host")
                .build();
        // Ansible fills in non-null defaults before required_together: port is present, host is not.
        assertEquals(List.of("arguments 'port', 'host' are required together; missing 'host'"), staticMessages(spec, args()));
        assertEquals(22L, spec.validate("m", args("host", "h")).integer("port", 0));
    }

    // ---- required_one_of ----

    @Test
    void requiredOneOf_noneGiven_reportedOnTheMapping_withDidYouMeanForAMisspeltName() {
        ArgSpec spec = ArgSpec.builder()
                .arg(ArgDef.of("cmd", ArgDef.Type.STR, "c"))
                .arg(ArgDef.of("argv", ArgDef.Type.LIST, "a"))
                .requiredOneOf("cmd", "argv")
                .build();
        List<ArgSpec.ArgProblem> p = spec.checkStatic(args("agrv", List.of("ls")));
        assertEquals(new ArgSpec.ArgProblem(null, "one of the arguments 'cmd', 'argv' is required;"
                + " did you mean 'argv' (given as 'agrv')?"), p.get(1));
        assertTrue(p.get(0).message().startsWith("unknown argument 'agrv'"), p.toString());
        assertTrue(runtimeError(spec, args()).contains("one of the arguments 'cmd', 'argv' is required"));
        assertEquals(List.of(), staticMessages(spec, args("cmd", "ls")));
    }

    // ---- required_if ----

    @Test
    void requiredIf_decidingValueFromTheDefault() {
        assertEquals(List.of(new ArgSpec.ArgProblem(null, "missing argument 'dest', required when action is create"
                + " (the default)")), SPEC.checkStatic(args()));
        assertEquals(List.of(new ArgSpec.ArgProblem("action", "missing argument 'dest', required when action is"
                + " create")), SPEC.checkStatic(args("action", "create")));
        assertEquals(List.of(), staticMessages(SPEC, args("action", "extract")));
    }

    @Test
    void requiredIfAny_oneSuffices() throws Exception {
        assertEquals(List.of("one of the arguments 'keep_last', 'older_than_days' is required when action is purge"),
                staticMessages(SPEC, args("action", "purge")));
        assertEquals(List.of(), staticMessages(SPEC, args("action", "purge", "older_than_days", 3)));
        assertEquals(3L, SPEC.validate("m", args("action", "purge", "older_than_days", "3")).integer("older_than_days", 0));
    }

    @Test
    void requiredIf_templatedDecidingValue_skippedStatically_decidedAtRunTime() {
        assertEquals(List.of(), staticMessages(SPEC, args("action", "{{ what }}")));
        assertEquals("m: missing argument 'dest', required when action is create",
                runtimeError(SPEC, args("action", "create")));
    }

    @Test
    void requiredIf_booleanValue_comparedAfterCoercion() throws Exception {
        ArgSpec spec = ArgSpec.builder()
                .arg(ArgDef.of("all", ArgDef.Type.BOOL, "a").withDefault(false))
                .arg(ArgDef.of("tag", ArgDef.Type.STR, "t"))
                .requiredIf("all", "false", "tag")
                .build();
        assertEquals(List.of("missing argument 'tag', required when all is false (the default)"),
                staticMessages(spec, args()));
        assertEquals(List.of("missing argument 'tag', required when all is false"), staticMessages(spec, args("all", "no")));
        assertEquals(List.of(), staticMessages(spec, args("all", "yes")));
        assertEquals(true, spec.validate("m", args("all", "on")).bool("all", false));
    }

    // ---- only_for ----

    @Test
    void onlyFor_argumentOfAnotherAction_namesTheActionsAndTheValue() {
        assertEquals(List.of(new ArgSpec.ArgProblem("target_dir",
                        "argument 'target_dir' is only for action extract (action is create, the default)")),
                SPEC.checkStatic(args("dest", "/b", "target_dir", "/t")));
        assertEquals("m: argument 'target_dir' is only for action extract (action is purge)",
                runtimeError(SPEC, args("action", "purge", "keep_last", 1, "target_dir", "/t")));
        assertEquals(List.of(), staticMessages(SPEC, args("action", "extract", "target_dir", "/t")));
    }

    @Test
    void onlyFor_selectorThatDoesNotApply_restrictsNothing() throws Exception {
        // store is for create (mode differential) and purge; mode means nothing for purge.
        assertEquals(List.of(), staticMessages(SPEC, args("action", "purge", "keep_last", 2, "store", "/s")));
        assertEquals("/s", SPEC.validate("m", args("action", "purge", "keep_last", 2, "store", "/s")).str("store"));
        assertEquals(List.of("argument 'store' is only for mode differential (mode is full, the default)"),
                staticMessages(SPEC, args("dest", "/b", "store", "/s")));
        assertEquals(List.of(), staticMessages(SPEC, args("dest", "/b", "mode", "differential", "store", "/s")));
        assertEquals(List.of("argument 'store' is only for action create, purge (action is extract)"),
                staticMessages(SPEC, args("action", "extract", "store", "/s")));
        assertEquals(List.of("argument 'mode' is only for action create (action is extract)"),
                staticMessages(SPEC, args("action", "extract", "mode", "full")));
    }

    @Test
    void onlyFor_templatedSelector_skippedStatically_decidedAtRunTime() {
        assertEquals(List.of(), staticMessages(SPEC, args("action", "{{ a }}", "target_dir", "/t")));
        assertEquals(List.of(), staticMessages(SPEC, args("dest", "/b", "mode", "{{ m }}", "store", "/s")));
        assertEquals("m: argument 'store' is only for mode differential (mode is full)",
                runtimeError(SPEC, args("dest", "/b", "mode", "full", "store", "/s")));
        assertEquals("m: argument 'target_dir' is only for action extract (action is create)",
                runtimeError(SPEC, args("action", "create", "dest", "/b", "target_dir", "/t")));
    }

    @Test
    void onlyFor_defaultOfARestrictedArgument_isNotGiven() throws Exception {
        ArgSpec spec = ArgSpec.builder()
                .arg(ArgDef.of("command", ArgDef.Type.STR, "c").asRequired().choices("clear", "take"))
                .arg(ArgDef.of("all", ArgDef.Type.BOOL, "a").withDefault(false))
                .onlyFor("command", List.of("clear"), "all")
                .build();
        assertEquals(false, spec.validate("m", args("command", "take")).bool("all", true));
        assertEquals(List.of("argument 'all' is only for command clear (command is take)"),
                staticMessages(spec, args("command", "take", "all", false)));
    }

    @Test
    void onlyFor_selectorWithoutChoices_suggestsTheCloseValue() {
        ArgSpec spec = ArgSpec.builder()
                .arg(ArgDef.of("kind", ArgDef.Type.STR, "k"))
                .arg(ArgDef.of("depth", ArgDef.Type.INT, "d"))
                .onlyFor("kind", List.of("recursive"), "depth")
                .build();
        assertEquals(List.of("argument 'depth' is only for kind recursive (kind is recursiv); did you mean"
                + " 'recursive'?"), staticMessages(spec, args("kind", "recursiv", "depth", 2)));
        assertEquals(List.of("argument 'depth' is only for kind recursive (kind is not given)"),
                staticMessages(spec, args("depth", 2)));
    }

    // ---- onlyWhen ----

    @Test
    void onlyWhen_scopesARule() {
        ArgSpec spec = ArgSpec.builder()
                .arg(ArgDef.of("command", ArgDef.Type.STR, "c").asRequired().choices("snapshot", "flush"))
                .arg(ArgDef.of("keyspaces", ArgDef.Type.LIST, "k"))
                .arg(ArgDef.of("tables", ArgDef.Type.LIST, "t"))
                .mutuallyExclusive("keyspaces", "tables").onlyWhen("command", "snapshot")
                .build();
        assertEquals(List.of("arguments 'keyspaces' and 'tables' are mutually exclusive for command snapshot"),
                staticMessages(spec, args("command", "snapshot", "keyspaces", "a", "tables", "a.b")));
        assertEquals(List.of(), staticMessages(spec, args("command", "flush", "keyspaces", "a", "tables", "a.b")));
        assertEquals(List.of(), staticMessages(spec, args("command", "{{ c }}", "keyspaces", "a", "tables", "a.b")));
        assertEquals("keyspaces, tables: mutually exclusive (give at most one) (when command is snapshot)",
                spec.rules().get(0).describe());
    }

    // ---- rules in words ----

    @Test
    void describe_everyKind() {
        List<String> words = SPEC.rules().stream().map(ArgRule::describe).toList();
        assertEquals(List.of(
                "mode: only for action create",
                "store: only for action create, purge",
                "store: only for mode differential",
                "target_dir: only for action extract",
                "src, dest: mutually exclusive (give at most one)",
                "user, password: required together (all or none)",
                "when action is create: dest is required",
                "when action is purge: one of keep_last, older_than_days is required"), words);
    }

    // ---- build-time sanity ----

    @Test
    void build_ruleNamingAnUndeclaredArgument_refused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ArgSpec.builder()
                .arg(ArgDef.of("a", ArgDef.Type.STR, "a"))
                .mutuallyExclusive("a", "b")
                .build());
        assertTrue(e.getMessage().contains("undeclared argument 'b'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ArgSpec.builder()
                .arg(ArgDef.of("a", ArgDef.Type.STR, "a"))
                .onlyFor("mode", List.of("x"), "a")
                .build());
    }

    @Test
    void build_valueTheSelectorCannotTake_refused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ArgSpec.builder()
                .arg(ArgDef.of("action", ArgDef.Type.STR, "a").choices("create", "extract"))
                .arg(ArgDef.of("x", ArgDef.Type.STR, "x"))
                .onlyFor("action", List.of("extrct"), "x")
                .build());
        assertTrue(e.getMessage().contains("'extrct'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ArgSpec.builder()
                .arg(ArgDef.of("all", ArgDef.Type.BOOL, "a"))
                .arg(ArgDef.of("tag", ArgDef.Type.STR, "t"))
                .requiredIf("all", "yes", "tag")
                .build());
    }

    @Test
    void build_onlyForCycle_andMisplacedOnlyWhen_refused() {
        assertThrows(IllegalStateException.class, () -> ArgSpec.builder()
                .arg(ArgDef.of("a", ArgDef.Type.STR, "a"))
                .arg(ArgDef.of("b", ArgDef.Type.STR, "b"))
                .onlyFor("a", List.of("x"), "b")
                .onlyFor("b", List.of("y"), "a")
                .build());
        assertThrows(IllegalStateException.class, () -> ArgSpec.builder()
                .arg(ArgDef.of("a", ArgDef.Type.STR, "a"))
                .onlyWhen("a", "x"));
        assertThrows(IllegalStateException.class, () -> ArgSpec.builder()
                .arg(ArgDef.of("a", ArgDef.Type.STR, "a"))
                .mutuallyExclusive("a"));
    }

    @Test
    void validate_everyProblemAtOnce() {
        Map<String, Object> raw = new HashMap<>(args("action", "extract", "src", "/a", "dest", "/b", "store", "/s"));
        String msg = runtimeError(SPEC, raw);
        assertTrue(msg.contains("'src' and 'dest' are mutually exclusive"), msg);
        assertTrue(msg.contains("argument 'store' is only for action create, purge"), msg);
    }
}
