package dev.acmejx.responder;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Judges a challenge certificate the way a CA's validator (Boulder's VA) does, written from the specifications
 * (RFC 8737, ACME drafts 01 and 02, the 2015 dvsni protocol) and from nothing in the production code: every
 * expected name is derived here. On top of each form's own rule it checks what Boulder rejects in any of them:
 * a certificate that is not self-signed, and an extension that appears twice.
 *
 * <p>Depends on the JDK and BouncyCastle only and throws {@link AssertionError}, so other modules' tests can
 * copy it as it is.
 */
final class BoulderStyleVerifier {

    /** id-pe-acmeIdentifier, RFC 8737 §6.1. */
    static final String ACME_IDENTIFIER = "1.3.6.1.5.5.7.1.31";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String ACME_INVALID = ".acme.invalid";
    private static final int EXTENSIONS_TAG = 3;

    private BoulderStyleVerifier() {
    }

    /** One dNSName SAN, the domain; the critical acmeIdentifier holding {@code OCTET STRING(SHA-256(ka))}. */
    static void tlsAlpn01(X509Certificate certificate, String domain, String keyAuthorization) {
        List<Extension> extensions = checkCommon(certificate);
        checkSans(extensions, List.of("dns:" + domain));
        checkAcmeIdentifier(extensions, keyAuthorization);
    }

    /** RFC 8738: one iPAddress SAN holding the address's octets; the acmeIdentifier as for a DNS name. */
    static void tlsAlpn01(X509Certificate certificate, InetAddress address, String keyAuthorization) {
        List<Extension> extensions = checkCommon(certificate);
        checkSans(extensions, List.of("ip:" + HexFormat.of().formatHex(address.getAddress())));
        checkAcmeIdentifier(extensions, keyAuthorization);
    }

    /** Draft-01: the only SAN is {@code Z[0:32].Z[32:64].acme.invalid}, Z = hex SHA-256(ka). */
    static void tlsSni01(X509Certificate certificate, String keyAuthorization) {
        checkSans(checkCommon(certificate), List.of("dns:" + tlsSni01Name(keyAuthorization)));
    }

    /** Drafts 02-09: exactly SAN A (from the token) and SAN B (from the key authorization). */
    static void tlsSni02(X509Certificate certificate, String token, String keyAuthorization) {
        checkSans(checkCommon(certificate), List.of("dns:" + tlsSni02SanA(token),
                "dns:" + tlsSni02SanB(keyAuthorization)));
    }

    /** dvsni: exactly the domain and {@code <hex SHA-256(r‖s)>.acme.invalid}. */
    static void dvsni(X509Certificate certificate, String domain, byte[] r, byte[] s) {
        checkSans(checkCommon(certificate), List.of("dns:" + domain, "dns:" + dvsniSan(r, s)));
    }

    static String tlsSni01Name(String keyAuthorization) {
        String z = hexSha256(keyAuthorization.getBytes(StandardCharsets.US_ASCII));
        return z.substring(0, 32) + "." + z.substring(32, 64) + ACME_INVALID;
    }

    /** Also the SNI a tls-sni-02 validator sends. */
    static String tlsSni02SanA(String token) {
        String hex = hexSha256(token.getBytes(StandardCharsets.US_ASCII));
        return hex.substring(0, 32) + "." + hex.substring(32) + ".token" + ACME_INVALID;
    }

    static String tlsSni02SanB(String keyAuthorization) {
        String hex = hexSha256(keyAuthorization.getBytes(StandardCharsets.US_ASCII));
        return hex.substring(0, 32) + "." + hex.substring(32) + ".ka" + ACME_INVALID;
    }

    static String dvsniSan(byte[] r, byte[] s) {
        byte[] joined = Arrays.copyOf(r, r.length + s.length);
        System.arraycopy(s, 0, joined, r.length, s.length);
        return hexSha256(joined) + ACME_INVALID;
    }

    /** One extension as it stands in the DER, before any library could merge or reject repeats. */
    private record Extension(String oid, boolean critical, byte[] value) {
    }

    /** Self-signed, and no extension twice. */
    private static List<Extension> checkCommon(X509Certificate certificate) {
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new AssertionError("cannot encode the certificate: " + e, e);
        }
        try {
            certificate.verify(certificate.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new AssertionError("not signed by its own key: " + e, e);
        }
        List<Extension> extensions = extensions(der);
        Set<String> seen = new HashSet<>();
        for (Extension extension : extensions) {
            if (!seen.add(extension.oid())) {
                throw new AssertionError("extension " + extension.oid() + " appears more than once");
            }
        }
        Certificate parsed = Certificate.getInstance(der);
        if (!parsed.getIssuer().equals(parsed.getSubject())) {
            throw new AssertionError("issuer " + parsed.getIssuer() + " is not the subject " + parsed.getSubject());
        }
        return extensions;
    }

    /** TBSCertificate's {@code [3] EXPLICIT Extensions}, read from the raw sequence. */
    private static List<Extension> extensions(byte[] der) {
        ASN1Sequence tbs = ASN1Sequence.getInstance(ASN1Sequence.getInstance(der).getObjectAt(0));
        List<Extension> extensions = new ArrayList<>();
        for (ASN1Encodable field : tbs) {
            if (field instanceof ASN1TaggedObject tagged && tagged.getTagNo() == EXTENSIONS_TAG) {
                for (ASN1Encodable element : ASN1Sequence.getInstance(tagged, true)) {
                    ASN1Sequence extension = ASN1Sequence.getInstance(element);
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

    /** The SANs are exactly {@code expected}, in any order, none repeated, no other kind of name. */
    private static void checkSans(List<Extension> extensions, List<String> expected) {
        Extension san = find(extensions, SUBJECT_ALT_NAME);
        List<String> actual = new ArrayList<>();
        for (GeneralName name : GeneralNames.getInstance(san.value()).getNames()) {
            actual.add(describe(name));
        }
        if (actual.size() != expected.size() || !new HashSet<>(actual).equals(new HashSet<>(expected))) {
            throw new AssertionError("subjectAltNames " + actual + ", expected exactly " + expected);
        }
    }

    private static String describe(GeneralName name) {
        return switch (name.getTagNo()) {
            case GeneralName.dNSName -> "dns:" + name.getName();
            case GeneralName.iPAddress -> "ip:" + HexFormat.of().formatHex(
                    ASN1OctetString.getInstance(name.getName()).getOctets());
            default -> "tag" + name.getTagNo() + ":" + name.getName();
        };
    }

    /** Critical, and its extnValue is {@code 04 20} followed by SHA-256 of the key authorization. */
    private static void checkAcmeIdentifier(List<Extension> extensions, String keyAuthorization) {
        Extension acme = find(extensions, ACME_IDENTIFIER);
        if (!acme.critical()) {
            throw new AssertionError("acmeIdentifier is not critical");
        }
        String expected = "0420" + hexSha256(keyAuthorization.getBytes(StandardCharsets.US_ASCII));
        String actual = HexFormat.of().formatHex(acme.value());
        if (!actual.equals(expected)) {
            throw new AssertionError("acmeIdentifier extnValue " + actual + ", expected " + expected);
        }
    }

    private static Extension find(List<Extension> extensions, String oid) {
        return extensions.stream().filter(e -> e.oid().equals(oid)).findFirst()
                .orElseThrow(() -> new AssertionError("no extension " + oid));
    }

    private static String hexSha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new AssertionError("no SHA-256", e);
        }
    }
}
