package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of rule between a module's arguments, broken by a small plan, is reported by
 * {@code ringplan validate} (the CLI entry point, in-process) with exit 2 and the message at the
 * {@code file:line:column} of the argument concerned (or of the module key), before any host is
 * touched; a rule that decides on a templated value is left to the run.
 */
class ValidateRulesCliTest {
    private static final String DIR = "cli/src/test/resources/cli/rules/";
    private static final String INV = "cli/src/test/resources/cli/two-nodes.yaml";

    @TempDir
    Path tmp;



    /** {@code ringplan validate <plan>} against the two-node inventory, from the repository root. */
    static Cli.Run validate(String plan) {
        return Cli.inProcess("validate", Cli.ROOT.resolve(DIR + plan).toString(), "-i", Cli.ROOT.resolve(INV).toString());
    }

    private static void assertRefused(Cli.Run r, String plan, String position, String message) {
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.all());
        String at = Cli.ROOT.resolve(DIR + plan) + ":" + position + ": error: ";
        assertTrue(r.err().contains(at + message), "expected '" + at + message + "' in\n" + r.all());
        assertTrue(r.err().contains("1 error found"), r.all());
        ValidateCliTest.assertNoStackTrace(new Cli.Run(r.code(), r.out(), r.err()));
    }

    @Test
    void validate_mutuallyExclusive_atTheSecondArgument() {
        assertRefused(validate("mutually-exclusive.yaml"), "mutually-exclusive.yaml", "7:7",
                "debug: arguments 'msg' and 'var' are mutually exclusive");
    }

    @Test
    void validate_requiredOneOf_atTheModule() {
        assertRefused(validate("required-one-of.yaml"), "required-one-of.yaml", "5:5",
                "command: one of the arguments 'cmd', 'argv' is required");
    }

    @Test
    void validate_requiredIf_atTheDecidingArgument() {
        assertRefused(validate("required-if.yaml"), "required-if.yaml", "6:7",
                "tar: missing argument 'root', required when action is purge");
    }

    @Test
    void validate_onlyFor_atTheArgument_namingTheActions() {
        assertRefused(validate("only-for.yaml"), "only-for.yaml", "8:7",
                "tar: argument 'target_dir' is only for action extract, verify (action is create, the default)");
    }

    @Test
    void plan_onlyFor_refusedBeforeAnyHostIsContacted() {
        // 10.0.0.x is never reachable here: the error comes from compiling, as in validate.
        Cli.Run r = Cli.inProcess("plan", Cli.ROOT.resolve(DIR + "only-for.yaml").toString(), "-i", Cli.ROOT.resolve(INV).toString());
        assertRefused(r, "only-for.yaml", "8:7", "tar: argument 'target_dir' is only for action extract, verify");
    }

    @Test
    void validate_ruleOnATemplatedValue_leftToTheRun() {
        Cli.Run r = validate("templated.yaml");
        assertEquals(ExitCodes.OK, r.code(), r.all());
    }

    /**
     * No built-in module declares required_together, so this one comes from a test module,
     * {@code login}, added to the modules {@code ringplan} finds through the class loader
     * ServiceLoader reads (the thread's context class loader).
     */
    @Test
    void validate_requiredTogether_atTheGivenArgument() throws Exception {
        Path services = tmp.resolve("META-INF/services/" + Module.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, LoginModule.class.getName() + "\n", StandardCharsets.UTF_8);
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try (URLClassLoader withLogin = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, before)) {
            t.setContextClassLoader(withLogin);
            assertRefused(validate("required-together.yaml"), "required-together.yaml", "6:7",
                    "login: arguments 'user', 'password' are required together; missing 'password'");
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /** A module whose user and password go together (the test above). */
    public static final class LoginModule implements Module {
        /** For ServiceLoader. */
        public LoginModule() {
        }

        @Override
        public String name() {
            return "login";
        }

        @Override
        public ModuleDoc doc() {
            return new ModuleDoc("log in (test module)", "Logs in with user and password.",
                    "- id: login\n  login: {user: cassandra, password: secret}\n");
        }

        @Override
        public ArgSpec argSpec() {
            return ArgSpec.builder()
                    .arg(ArgDef.of("user", ArgDef.Type.STR, "user name"))
                    .arg(ArgDef.of("password", ArgDef.Type.STR, "its password"))
                    .requiredTogether("user", "password")
                    .build();
        }

        @Override
        public ReturnSpec returns() {
            return ReturnSpec.none();
        }

        @Override
        public Preview check(ModuleContext ctx) {
            return Preview.noChange("logged in");
        }

        @Override
        public Result apply(ModuleContext ctx) {
            return Result.ok("logged in");
        }
    }
}
