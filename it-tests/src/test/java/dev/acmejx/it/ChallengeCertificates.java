package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Checks a challenge certificate the way Boulder's VA does, written from RFC 8737 and the legacy drafts, sharing
 * no code with acmejx: the extensions are read from the raw DER, so a duplicate cannot hide behind a parser that
 * keeps the first one.
 */
final class ChallengeCertificates {

    static final String ACME_IDENTIFIER = "1.3.6.1.5.5.7.1.31";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";

    /** One extension as the certificate encodes it. */
    record Extension(String oid, boolean critical, byte[] value) {
    }

    private ChallengeCertificates() {
    }

    /** Self-signed, no extension twice, exactly {@code names} as SANs ("dns:x" or "ip:1.2.3.4" style). */
    static List<Extension> assertChallengeCertificate(X509Certificate certificate, Set<String> names)
            throws GeneralSecurityException {
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal(), "self-issued");
        certificate.verify(certificate.getPublicKey());
        List<Extension> extensions = extensions(certificate);
        Set<String> oids = new HashSet<>();
        extensions.forEach(extension -> assertTrue(oids.add(extension.oid()), "duplicate " + extension.oid()));
        Extension san = find(extensions, SUBJECT_ALT_NAME);
        Set<String> found = new HashSet<>();
        List<String> all = new ArrayList<>();
        for (GeneralName name : GeneralNames.getInstance(san.value()).getNames()) {
            String text = name.getTagNo() == GeneralName.dNSName ? "dns:" + name.getName()
                    : name.getTagNo() == GeneralName.iPAddress ? "ip:" + ipText(name) : "other:" + name;
            found.add(text);
            all.add(text);
        }
        assertEquals(names.size(), all.size(), "exactly the expected SANs: " + all);
        assertEquals(names, found, "the SANs");
        return extensions;
    }

    /** RFC 8737 §3: the tls-alpn-01 checks on top of {@link #assertChallengeCertificate}. */
    static void assertTlsAlpn01(X509Certificate certificate, String san, String keyAuthorization)
            throws GeneralSecurityException {
        List<Extension> extensions = assertChallengeCertificate(certificate, Set.of(san));
        Extension acme = find(extensions, ACME_IDENTIFIER);
        assertTrue(acme.critical(), "id-pe-acmeIdentifier is critical");
        byte[] expected = new byte[34];
        expected[0] = 0x04;
        expected[1] = 0x20;
        System.arraycopy(sha256(keyAuthorization), 0, expected, 2, 32);
        assertArrayEquals(expected, acme.value(), "extnValue is DER OCTET STRING(32) of SHA-256(ka)");
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code z[0:32].z[32:64].<suffix>}, the legacy forms' name for a hex SHA-256. */
    static String split(String hex, String suffix) {
        return hex.substring(0, 32) + "." + hex.substring(32) + "." + suffix;
    }

    private static Extension find(List<Extension> extensions, String oid) {
        Extension found = extensions.stream().filter(e -> e.oid().equals(oid)).findFirst().orElse(null);
        assertNotNull(found, "extension " + oid);
        return found;
    }

    private static List<Extension> extensions(X509Certificate certificate) throws GeneralSecurityException {
        ASN1Sequence tbs = ASN1Sequence.getInstance(ASN1Sequence.getInstance(certificate.getEncoded())
                .getObjectAt(0));
        List<Extension> extensions = new ArrayList<>();
        for (ASN1Encodable field : tbs) {
            if (field instanceof ASN1TaggedObject tagged && tagged.getTagNo() == 3) {
                for (ASN1Encodable entry : ASN1Sequence.getInstance(tagged.getExplicitBaseObject())) {
                    ASN1Sequence extension = ASN1Sequence.getInstance(entry);
                    boolean critical = extension.size() == 3
                            && ASN1Boolean.getInstance(extension.getObjectAt(1)).isTrue();
                    extensions.add(new Extension(
                            ASN1ObjectIdentifier.getInstance(extension.getObjectAt(0)).getId(), critical,
                            ASN1OctetString.getInstance(extension.getObjectAt(extension.size() - 1)).getOctets()));
                }
            }
        }
        return extensions;
    }

    private static String ipText(GeneralName name) {
        byte[] bytes = ASN1OctetString.getInstance(name.getName()).getOctets();
        try {
            return java.net.InetAddress.getByAddress(bytes).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
