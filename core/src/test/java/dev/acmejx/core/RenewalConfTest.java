package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RenewalConfTest {

    @Test
    void versionsAreWrittenAsCertbotParsesThem() {
        assertEquals("0.1.0", RenewalConf.pep440("0.1.0"));
        assertEquals("0.1.0.dev0", RenewalConf.pep440("0.1.0-SNAPSHOT"));
        assertEquals("1.2.dev0", RenewalConf.pep440("1.2-rc1"));
        assertEquals("0.dev0", RenewalConf.pep440("unknown"));
    }
}
