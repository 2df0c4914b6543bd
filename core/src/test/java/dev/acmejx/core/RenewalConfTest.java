package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenewalConfTest {

    @TempDir
    Path configDir;

    @Test
    void versionsAreWrittenAsCertbotParsesThem() {
        assertEquals("0.1.0", RenewalConf.pep440("0.1.0"));
        assertEquals("0.1.0.dev0", RenewalConf.pep440("0.1.0-SNAPSHOT"));
        assertEquals("1.2.dev0", RenewalConf.pep440("1.2-rc1"));
        assertEquals("0.dev0", RenewalConf.pep440("unknown"));
    }

    @Test
    void aRenewalKeepsTheSettingsWrittenByHandAndRewritesTheRest() throws Exception {
        Lineage lineage = Lineage.of(configDir, "example.com");
        Files.createDirectories(lineage.renewalConf().getParent());
        Files.writeString(lineage.renewalConf(), """
                version = 0.0.1
                renew_before_expiry = 20 days
                cert = /elsewhere/cert.pem

                [renewalparams]
                domains = old.example.com
                """);

        RenewalConf renewed = RenewalConf.of(lineage, "0.2.0", Map.of("domains", "example.com"))
                .keepingSettingsOf(RenewalConf.read(lineage.renewalConf()));
        renewed.write(lineage.renewalConf());
        RenewalConf reread = RenewalConf.read(lineage.renewalConf());

        assertEquals(Optional.of("20 days"), reread.top("renew_before_expiry"));
        assertEquals(Optional.of("0.2.0"), reread.top("version"));
        assertEquals(Optional.of(lineage.live("cert").toString()), reread.top("cert"));
        assertEquals(Optional.of("example.com"), reread.param("domains"));
    }
}
