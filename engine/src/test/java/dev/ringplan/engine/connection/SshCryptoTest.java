package dev.ringplan.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;

import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.transport.cipher.Cipher;
import org.junit.jupiter.api.Test;

class SshCryptoTest {
    private static List<String> names(List<Factory.Named<Cipher>> fs) {
        return fs.stream().map(Factory.Named::getName).collect(Collectors.toList());
    }

    @Test
    void offersAesGcmFirstAndKeepsEveryDefaultCipher() {
        List<String> defaults = names(new DefaultConfig().getCipherFactories());
        List<String> ours = names(SshCrypto.config().getCipherFactories());
        assertEquals(SshCrypto.PREFERRED_CIPHERS, ours.subList(0, SshCrypto.PREFERRED_CIPHERS.size()));
        assertEquals(defaults.stream().sorted().collect(Collectors.toList()),
                ours.stream().sorted().collect(Collectors.toList()));
    }

    @Test
    void ciphersComeFromTheJdkAndBouncyCastleStaysAvailable() throws Exception {
        SshCrypto.config();
        assertEquals(null, SecurityUtils.getSecurityProvider());
        assertEquals("SunJCE", SecurityUtils.getCipher("AES/GCM/NoPadding").getProvider().getName());
        assertEquals("BC", java.security.Security.getProvider("BC").getName());
    }
}
