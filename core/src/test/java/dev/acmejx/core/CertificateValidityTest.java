package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fast validity reader against the JDK's full parser, on both of X.509's time encodings. */
class CertificateValidityTest {

    private static final KeyPair KEY = KeySpec.ACCOUNT.generate();

    @ParameterizedTest
    @CsvSource({
        "2026-11-21T10:00:00Z, 2027-02-19T10:00:00Z",   // UTCTime, as every ACME CA issues
        "1999-12-31T23:59:59Z, 2049-12-31T23:59:59Z",   // UTCTime at both ends of its 1950-2049 range
        "2040-01-01T00:00:00Z, 2050-01-01T00:00:00Z",   // notAfter in GeneralizedTime from 2050 on
    })
    void readsWhatTheJdkReads(Instant notBefore, Instant notAfter) throws Exception {
        X509Certificate certificate = certificate(notBefore, notAfter);

        CertificateValidity validity = CertificateValidity.fromDer(Pem.certificates(List.of(certificate)))
                .orElseThrow(() -> new AssertionError("the direct read gave up"));

        assertEquals(certificate.getNotBefore().toInstant(), validity.notBefore());
        assertEquals(certificate.getNotAfter().toInstant(), validity.notAfter());
        assertEquals(notAfter, validity.notAfter());
    }

    @Test
    void anythingUnexpectedIsLeftToTheJdk() throws Exception {
        byte[] pem = Pem.certificates(List.of(certificate(Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-04-01T00:00:00Z"))));
        String text = new String(pem, StandardCharsets.US_ASCII);

        byte[] notACertificate = text.replace("CERTIFICATE", "X509 CRL").getBytes(StandardCharsets.US_ASCII);
        assertTrue(CertificateValidity.fromDer(notACertificate).isEmpty());
        assertEquals(Instant.parse("2026-04-01T00:00:00Z"), CertificateValidity.read(pem).notAfter());
    }

    @Test
    void aBrokenFileGetsTheJdksError() {
        byte[] broken = "-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n"
                .getBytes(StandardCharsets.US_ASCII);

        assertThrows(CertificateException.class, () -> CertificateValidity.read(broken));
    }

    private static X509Certificate certificate(Instant notBefore, Instant notAfter) throws Exception {
        X500Name name = new X500Name("CN=validity.test");
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.TEN, Date.from(notBefore),
                Date.from(notAfter), name, KEY.getPublic());
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(KEY.getPrivate())));
    }
}
