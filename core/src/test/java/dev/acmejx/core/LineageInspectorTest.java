package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code acmejx certificates} finds in a lineage, healthy or broken in the ways a real one breaks. */
class LineageInspectorTest {

    @TempDir
    Path configDir;

    private final Instant now = Instant.now();

    @Test
    void healthyLineageIsValidWithItsFacts() throws Exception {
        Lineage lineage = Lineage.of(configDir, "a.test");
        TestCertificates.Issued issued = save(lineage, issued("a.test", "b.test"), "b.test, a.test");

        LineageStatus status = inspector().inspect(lineage);

        assertTrue(status.valid(), status.reason());
        LineageStatus.Facts facts = status.certificate().orElseThrow();
        assertEquals(List.of("b.test", "a.test"), facts.domains(), "the renewal conf's order");
        assertEquals("ECDSA P-256", facts.keyType());
        assertEquals(issued.chain().get(0).getSerialNumber().toString(16), facts.serial());
        assertEquals(89, facts.daysLeft());
        assertEquals(1, facts.version());
        assertEquals(lineage.live("fullchain"), status.fullchain());
        assertEquals(lineage.live("privkey"), status.privkey());
    }

    @Test
    void keyOfAnotherCertificateIsInvalid() throws Exception {
        Lineage lineage = Lineage.of(configDir, "a.test");
        save(lineage, issued("a.test"), "a.test");
        Path privkey = lineage.archive("privkey", 1);
        Files.delete(privkey);
        Files.write(privkey, Pem.privateKey(KeySpec.ACCOUNT.generate().getPrivate()));

        LineageStatus status = inspector().inspect(lineage);

        assertFalse(status.valid());
        assertEquals("privkey.pem is not the key of cert.pem", status.reason());
        assertTrue(status.certificate().isPresent(), "the certificate itself is still described");
    }

    @Test
    void deletedKeyIsInvalid() throws Exception {
        Lineage lineage = Lineage.of(configDir, "a.test");
        save(lineage, issued("a.test"), "a.test");
        Files.delete(lineage.archive("privkey", 1));

        assertEquals("privkey.pem links to a file that is gone", inspector().inspect(lineage).reason());
    }

    @Test
    void expiredCertificateIsInvalidWithNegativeDaysLeft() throws Exception {
        Lineage lineage = Lineage.of(configDir, "old.test");
        TestCertificates.Issued issued = TestCertificates.chain(List.of("old.test"),
                now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(10)));
        save(lineage, issued, "old.test");

        LineageStatus status = inspector().inspect(lineage);

        assertTrue(status.reason().startsWith("expired on "), status.reason());
        assertEquals(-10, status.certificate().orElseThrow().daysLeft());
    }

    @Test
    void unreadableCertificateLeavesOnlyTheReason() throws Exception {
        Lineage lineage = Lineage.of(configDir, "a.test");
        save(lineage, issued("a.test"), "a.test");
        Files.writeString(lineage.archive("cert", 1), "not a certificate\n");

        LineageStatus status = inspector().inspect(lineage);

        assertFalse(status.valid());
        assertTrue(status.certificate().isEmpty());
        assertTrue(status.reason().startsWith("cert.pem "), status.reason());
    }

    @Test
    void fullchainOfAnotherCertificateIsInvalid() throws Exception {
        Lineage lineage = Lineage.of(configDir, "a.test");
        save(lineage, issued("a.test"), "a.test");
        Files.delete(lineage.archive("fullchain", 1));
        Files.write(lineage.archive("fullchain", 1), Pem.certificates(issued("a.test").chain()));

        assertEquals("fullchain.pem does not start with the certificate of cert.pem",
                inspector().inspect(lineage).reason());
    }

    @Test
    void oneBrokenLineageDoesNotHideTheOthers() throws Exception {
        save(Lineage.of(configDir, "a.test"), issued("a.test"), "a.test");
        Files.createDirectories(configDir.resolve("live/broken.test"));
        save(Lineage.of(configDir, "c.test"), issued("c.test"), "c.test");

        List<LineageStatus> all = inspector().all();

        assertEquals(List.of("a.test", "broken.test", "c.test"), all.stream().map(LineageStatus::name).toList());
        assertEquals(List.of(true, false, true), all.stream().map(LineageStatus::valid).toList());
        assertEquals("cert.pem is missing", all.get(1).reason());
    }

    @Test
    void namesOnlyTheCertificateHasFollowTheConfsOrder() {
        assertEquals(List.of("c.test", "a.test", "b.test", "d.test"), LineageInspector.orderedDomains(
                List.of("a.test", "b.test", "c.test", "d.test"), List.of("c.test", "gone.test", "a.test")));
        assertEquals(List.of("a.test", "b.test"),
                LineageInspector.orderedDomains(List.of("a.test", "b.test"), List.of()));
    }

    @Test
    void keyTypesAreNamedAsPeopleNameThem() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        assertEquals("ECDSA P-384", LiveCertificate.keyType(ec.generateKeyPair().getPublic()));
        KeyPair rsa = new KeySpec(KeySpec.RSA, "secp256r1", 3072).generate();
        assertEquals("RSA 3072", LiveCertificate.keyType(rsa.getPublic()));
    }

    private LineageInspector inspector() {
        return new LineageInspector(configDir, now);
    }

    private TestCertificates.Issued issued(String... names) throws Exception {
        return TestCertificates.chain(List.of(names), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(90)));
    }

    private static TestCertificates.Issued save(Lineage lineage, TestCertificates.Issued issued, String domains)
            throws Exception {
        new CertificateStore().save(lineage, issued.leafKey().getPrivate(), issued.chain(),
                RenewalConf.of(lineage, "test", Map.of("domains", domains)));
        return issued;
    }
}
