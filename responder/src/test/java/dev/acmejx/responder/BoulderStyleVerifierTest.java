package dev.acmejx.responder;

import static dev.acmejx.responder.AcmeTlsResponderTest.KEY_AUTHORIZATION;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The verifier fails the certificates a validator would fail; otherwise its passes would prove nothing. */
class BoulderStyleVerifierTest {

    private static final ASN1ObjectIdentifier ACME_IDENTIFIER =
            new ASN1ObjectIdentifier(BoulderStyleVerifier.ACME_IDENTIFIER);

    @Test
    void wrongKeyAuthorizationFailsTlsSni01() {
        X509Certificate certificate = new PendingChallenges().publishTlsSni01("other.thumbprint").certificate();

        assertFails("subjectAltNames", () -> BoulderStyleVerifier.tlsSni01(certificate, KEY_AUTHORIZATION));
    }

    @Test
    void extraSanFailsTheExactSet() {
        X509Certificate tlsSni02 = new PendingChallenges().publishTlsSni02("tok", "tok.thumbprint").certificate();

        assertFails("expected exactly", () -> BoulderStyleVerifier.tlsSni01(tlsSni02, "tok.thumbprint"));
    }

    @Test
    void wrongDigestFailsTlsAlpn01() throws Exception {
        X509Certificate certificate = new PendingChallenges().publishTlsAlpn01(ChallengeIdentifier.dns("a.test"),
                TlsAlpnCertificatesTest.sha256("other.thumbprint")).certificate();

        assertFails("acmeIdentifier extnValue", () -> BoulderStyleVerifier.tlsAlpn01(certificate, "a.test",
                KEY_AUTHORIZATION));
    }

    @Test
    void nonCriticalAcmeIdentifierFailsTlsAlpn01() throws Exception {
        KeyPair key = TlsAlpnCertificatesTest.key();
        X509Certificate certificate = build(key, key, false);

        assertFails("not critical", () -> BoulderStyleVerifier.tlsAlpn01(certificate, "a.test", KEY_AUTHORIZATION));
    }

    @Test
    void certificateSignedByAnotherKeyIsNotSelfSigned() throws Exception {
        X509Certificate certificate = build(TlsAlpnCertificatesTest.key(), TlsAlpnCertificatesTest.key(), true);

        assertFails("not signed by its own key",
                () -> BoulderStyleVerifier.tlsAlpn01(certificate, "a.test", KEY_AUTHORIZATION));
    }

    /** A tls-alpn-01 certificate for a.test and the right digest, made here so it can be made wrong. */
    private static X509Certificate build(KeyPair subjectKey, KeyPair signerKey, boolean critical) throws Exception {
        X500Name name = new X500Name("CN=test");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now),
                Date.from(now.plus(Duration.ofDays(1))), name, subjectKey.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "a.test")));
        builder.addExtension(ACME_IDENTIFIER, critical,
                new DEROctetString(TlsAlpnCertificatesTest.sha256(KEY_AUTHORIZATION)));
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(signerKey.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static void assertFails(String expectedInMessage, Executable verification) {
        AssertionError failure = assertThrows(AssertionError.class, verification);
        assertTrue(failure.getMessage().contains(expectedInMessage), failure.getMessage());
    }
}
