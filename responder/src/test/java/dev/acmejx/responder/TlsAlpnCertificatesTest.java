package dev.acmejx.responder;

import static dev.acmejx.responder.AcmeTlsResponderTest.KEY_AUTHORIZATION;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;

/** The challenge certificate read back with BouncyCastle, field by field, as a validator reads it. */
class TlsAlpnCertificatesTest {

    @Test
    void dnsIdentifierGivesOneDnsNameAndTheCriticalDigest() throws Exception {
        byte[] digest = sha256(KEY_AUTHORIZATION);
        X509CertificateHolder holder = holder(TlsAlpnCertificates.create(key(), ChallengeIdentifier.dns("A.Test"),
                digest));

        GeneralName[] sans = GeneralNames.fromExtensions(holder.getExtensions(), Extension.subjectAlternativeName)
                .getNames();
        assertEquals(1, sans.length);
        assertEquals(GeneralName.dNSName, sans[0].getTagNo());
        assertEquals("a.test", sans[0].getName().toString());

        Extension acme = holder.getExtension(TlsAlpnCertificates.ACME_IDENTIFIER);
        assertTrue(acme.isCritical(), "id-pe-acmeIdentifier must be critical");
        byte[] extnValue = acme.getExtnValue().getOctets();
        assertEquals("0420", HexFormat.of().formatHex(extnValue, 0, 2), "extnValue is DER OCTET STRING(32)");
        assertArrayEquals(digest, ASN1OctetString.getInstance(extnValue).getOctets());
    }

    @Test
    void certificateIsSelfSignedAndCurrentlyValid() throws Exception {
        KeyPair key = key();
        X509Certificate certificate = TlsAlpnCertificates.create(key, ChallengeIdentifier.dns("a.test"),
                sha256(KEY_AUTHORIZATION));
        X509CertificateHolder holder = holder(certificate);

        assertEquals(holder.getIssuer(), holder.getSubject());
        assertTrue(holder.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key.getPublic())));
        certificate.checkValidity();
        assertEquals(key.getPublic(), certificate.getPublicKey());
    }

    @Test
    void ipv4IdentifierGivesOneIpAddressSan() throws Exception {
        X509CertificateHolder holder = holder(TlsAlpnCertificates.create(key(), ChallengeIdentifier.ip("192.0.2.7"),
                sha256(KEY_AUTHORIZATION)));
        GeneralName[] sans = GeneralNames.fromExtensions(holder.getExtensions(), Extension.subjectAlternativeName)
                .getNames();
        assertEquals(1, sans.length);
        assertEquals(GeneralName.iPAddress, sans[0].getTagNo());
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 7}, ASN1OctetString.getInstance(sans[0].getName()).getOctets());
    }

    @Test
    void ipv6IdentifierGivesSixteenByteIpAddressSan() throws Exception {
        X509CertificateHolder holder = holder(TlsAlpnCertificates.create(key(), ChallengeIdentifier.ip("2001:db8::1"),
                sha256(KEY_AUTHORIZATION)));
        GeneralName san = GeneralNames.fromExtensions(holder.getExtensions(), Extension.subjectAlternativeName)
                .getNames()[0];
        assertEquals("20010db8000000000000000000000001",
                HexFormat.of().formatHex(ASN1OctetString.getInstance(san.getName()).getOctets()));
    }

    @Test
    void digestOfWrongLengthIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> TlsAlpnCertificates.create(key(), ChallengeIdentifier.dns("a.test"), new byte[31]));
    }

    static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
    }

    static KeyPair key() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509CertificateHolder holder(X509Certificate certificate) throws Exception {
        return new X509CertificateHolder(certificate.getEncoded());
    }
}
