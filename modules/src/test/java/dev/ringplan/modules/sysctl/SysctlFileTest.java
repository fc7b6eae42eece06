package dev.ringplan.modules.sysctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SysctlFile} and the value rules of {@link SysctlModule}, on texts in sysctl.conf(5) format. */
class SysctlFileTest {
    private static final String CONF = """
            # /etc/sysctl.conf
            ; a comment too
            vm.swappiness = 10
            -net.core.somaxconn=4096
            kernel/pid_max = 4194304
            not a setting
            vm.swappiness=1
            """;

    @Test
    void valueOf_lastLineWins_slashesAndDashAccepted_commentsIgnored() {
        assertEquals("1", SysctlFile.valueOf(CONF, "vm.swappiness"));
        assertEquals("4096", SysctlFile.valueOf(CONF, "net.core.somaxconn"));
        assertEquals("4194304", SysctlFile.valueOf(CONF, "kernel.pid_max"));
        assertNull(SysctlFile.valueOf(CONF, "vm.max_map_count"));
        assertNull(SysctlFile.valueOf("# vm.max_map_count = 1\n", "vm.max_map_count"));
    }

    @Test
    void edit_firstLineGetsValue_laterOnesGo_restUntouched() {
        assertEquals("""
                # /etc/sysctl.conf
                ; a comment too
                vm.swappiness = 0
                -net.core.somaxconn=4096
                kernel/pid_max = 4194304
                not a setting
                """, SysctlFile.edit(CONF, "vm.swappiness", "0"));
        assertEquals(CONF.replace("-net.core.somaxconn=4096", "-net.core.somaxconn=8192"),
                SysctlFile.edit(CONF, "net.core.somaxconn", "8192"), "the leading '-' is kept");
    }

    @Test
    void edit_appendsMissing_evenWithoutFinalNewline_andRemoves() {
        assertEquals("a.b=1\nvm.max_map_count=262144\n", SysctlFile.edit("a.b=1", "vm.max_map_count", "262144"));
        assertEquals("vm.max_map_count=262144\n", SysctlFile.edit("", "vm.max_map_count", "262144"));
        String removed = SysctlFile.edit(CONF, "vm.swappiness", null);
        assertFalse(removed.contains("swappiness"), removed);
        assertTrue(removed.contains("kernel/pid_max = 4194304\n"), removed);
        assertEquals("x=1\n", SysctlFile.edit("x=1\n", "vm.swappiness", null));
    }

    @Test
    void equal_wordByWord_likeAnsible() {
        assertTrue(SysctlModule.equal("4096\t87380\t6291456", "4096 87380  6291456"));
        assertFalse(SysctlModule.equal("4096 87380", "4096 87380 6291456"));
        assertFalse(SysctlModule.equal("0262144", "262144"), "compared as text, as Ansible does");
        assertFalse(SysctlModule.equal(null, "1"));
    }

    @Test
    void normalize_booleansAsOneAndZero() {
        for (String t : List.of("yes", "True", "on", "1")) {
            assertEquals("1", SysctlModule.normalize(t), t);
        }
        for (String f : List.of("no", "FALSE", "off", "0")) {
            assertEquals("0", SysctlModule.normalize(f), f);
        }
        assertEquals("262144", SysctlModule.normalize(" 262144 "));
        assertNull(SysctlModule.normalize(null));
    }

    @Test
    void nameProblem_onlyDottedLowerCaseNames() {
        assertNull(SysctlModule.nameProblem("net.ipv4.conf.eth0.rp_filter"));
        assertNull(SysctlModule.nameProblem("vm.max_map_count"));
        assertEquals("it contains '/' (write the dotted name, e.g. vm.max_map_count)",
                SysctlModule.nameProblem("vm/max_map_count"));
        assertEquals("it has an empty part between dots", SysctlModule.nameProblem("vm..x"));
        assertEquals("it is empty", SysctlModule.nameProblem(""));
    }
}
