package dev.acmejx.responder;

import dev.acmejx.responder.PendingChallenges.PreparedChallenge;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Builds the certificates of the challenge forms older than tls-alpn-01, all answered on an SNI under
 * {@code .acme.invalid}: tls-sni-01 (ACME draft-01, Boulder until 2019), tls-sni-02 (drafts 02 to 09) and the
 * 2015 letsencrypt dvsni. Their validators only compare names, so a certificate here is the self-signed frame
 * around the right dNSNames; the names are derived exactly as DESIGN §5 tabulates them, every hash SHA-256 in
 * lowercase hex.
 */
final class LegacyCertificates {

    /** The reserved suffix (RFC 6761) every legacy SNI and derived name ends in. */
    static final String ACME_INVALID = ".acme.invalid";

    private LegacyCertificates() {
    }

    /** tls-sni-01's SNI and only dNSName: {@code Z[0:32].Z[32:64].acme.invalid}, Z = hex SHA-256(ka). */
    static String tlsSni01Name(String keyAuthorization) {
        return twoLabels(keyAuthorization) + ACME_INVALID;
    }

    /** tls-sni-02's SAN A, which is also its SNI: {@code x.y.token.acme.invalid} from hex SHA-256(token). */
    static String tlsSni02Sni(String token) {
        return twoLabels(token) + ".token" + ACME_INVALID;
    }

    /** dvsni's SNI: the hex nonce as one label. */
    static String dvsniSni(String nonceHex) {
        return nonceHex + ACME_INVALID;
    }

    static X509Certificate tlsSni01(KeyPair key, String keyAuthorization) {
        return create(key, PreparedChallenge.TLS_SNI_01, tlsSni01Name(keyAuthorization));
    }

    /** Exactly two dNSNames: SAN A from the token, SAN B {@code x.y.ka.acme.invalid} from the key authorization. */
    static X509Certificate tlsSni02(KeyPair key, String token, String keyAuthorization) {
        return create(key, PreparedChallenge.TLS_SNI_02, tlsSni02Sni(token),
                twoLabels(keyAuthorization) + ".ka" + ACME_INVALID);
    }

    /** The domain, and {@code <hex SHA-256(r‖s)>.acme.invalid} over the decoded random octets. */
    static X509Certificate dvsni(KeyPair key, String domain, byte[] r, byte[] s) {
        MessageDigest sha256 = sha256();
        sha256.update(r);
        sha256.update(s);
        return create(key, PreparedChallenge.DVSNI, domain, HexFormat.of().formatHex(sha256.digest()) + ACME_INVALID);
    }

    private static X509Certificate create(KeyPair key, String challengeType, String... dnsNames) {
        GeneralName[] sans = new GeneralName[dnsNames.length];
        for (int i = 0; i < dnsNames.length; i++) {
            sans[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        return SelfSignedCertificates.create(key, challengeType, new GeneralNames(sans));
    }

    /** {@code x.y}: the 64 hex digits of SHA-256(text) split in halves, since a DNS label holds at most 63. */
    private static String twoLabels(String text) {
        String hex = HexFormat.of().formatHex(sha256(text));
        return hex.substring(0, 32) + "." + hex.substring(32);
    }

    /** SHA-256 over the ASCII of {@code text}: how every challenge form hashes a token or key authorization. */
    static byte[] sha256(String text) {
        return sha256().digest(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
