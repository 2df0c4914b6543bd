package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.RevocationReason;

/** certbot's reason names, and which CA a certificate to revoke belongs to. */
class RevocationTest {

    @TempDir
    Path configDir;

    @Test
    void certbotsReasonNamesInAnySpelling() throws Exception {
        assertEquals(RevocationReason.UNSPECIFIED, Revocation.reason("unspecified"));
        assertEquals(RevocationReason.KEY_COMPROMISE, Revocation.reason("keyCompromise"));
        assertEquals(RevocationReason.KEY_COMPROMISE, Revocation.reason("key-compromise"));
        assertEquals(RevocationReason.AFFILIATION_CHANGED, Revocation.reason("affiliationchanged"));
        assertEquals(RevocationReason.SUPERSEDED, Revocation.reason("SUPERSEDED"));
        assertEquals(RevocationReason.CESSATION_OF_OPERATION, Revocation.reason("cessation_of_operation"));
    }

    @Test
    void otherReasonsAreRefusedWithTheAcceptedOnes() {
        AcmejxException e = assertThrows(AcmejxException.class, () -> Revocation.reason("cacompromise"));
        assertTrue(e.getMessage().contains("'cacompromise'") && e.getMessage().contains("keycompromise"),
                e.getMessage());
    }

    @Test
    void lineageCertificateGoesToTheServerOfItsRenewalConf() throws Exception {
        Lineage lineage = lineage("a.test", Map.of("server", "https://ca.test/dir", "ca_cert", "/etc/ca.pem"));

        RevocationTarget target = RevocationTarget.ofLineage(lineage, Optional.empty(), Optional.empty());

        assertEquals(URI.create("https://ca.test/dir"), target.server());
        assertEquals(Optional.of(Path.of("/etc/ca.pem")), target.caCert());
        RevocationTarget overridden = RevocationTarget.ofLineage(lineage,
                Optional.of(URI.create("https://other.test/dir")), Optional.empty());
        assertEquals(URI.create("https://other.test/dir"), overridden.server());
    }

    @Test
    void fileInsideALineageIsFoundThroughLiveOrArchive() throws Exception {
        lineage("a.test", Map.of("server", "https://ca.test/dir"));

        assertEquals(Optional.of("a.test"), RevocationTarget.lineageOf(configDir,
                configDir.resolve("live/a.test/fullchain.pem")).map(Lineage::name));
        assertEquals(Optional.of("a.test"), RevocationTarget.lineageOf(configDir,
                configDir.resolve("archive/a.test/cert1.pem")).map(Lineage::name));
        assertEquals(URI.create("https://ca.test/dir"), RevocationTarget.ofFile(configDir,
                configDir.resolve("archive/a.test/cert1.pem"), Optional.empty(), Optional.empty()).server());
    }

    @Test
    void fileOutsideEveryLineageNeedsServer() throws Exception {
        Lineage lineage = lineage("a.test", Map.of("server", "https://ca.test/dir"));
        Path outside = Files.copy(lineage.live("cert"), configDir.resolve("elsewhere.pem"));

        AcmejxException e = assertThrows(AcmejxException.class,
                () -> RevocationTarget.ofFile(configDir, outside, Optional.empty(), Optional.empty()));
        assertTrue(e.getMessage().contains("give --server"), e.getMessage());
        assertEquals(URI.create("https://x.test/dir"), RevocationTarget.ofFile(configDir, outside,
                Optional.of(URI.create("https://x.test/dir")), Optional.empty()).server());
    }

    private Lineage lineage(String name, Map<String, String> params) throws Exception {
        Lineage lineage = Lineage.of(configDir, name);
        Instant now = Instant.now();
        TestCertificates.Issued issued = TestCertificates.chain(List.of(name), now, now.plus(Duration.ofDays(1)));
        new CertificateStore().save(lineage, issued.leafKey().getPrivate(), issued.chain(),
                RenewalConf.of(lineage, "test", params));
        return lineage;
    }
}
