package dev.acmejx.responder;

import dev.acmejx.responder.SelfSignedCertificates.Extra;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Builds the RFC 8737 tls-alpn-01 challenge certificate: self-signed, exactly one subjectAltName (the dNSName,
 * or for RFC 8738 the iPAddress), and the critical id-pe-acmeIdentifier extension holding the SHA-256 digest of
 * the key authorization as a DER OCTET STRING.
 */
public final class TlsAlpnCertificates {

    /** The ALPN protocol a validator offers, alone, and the responder must select. */
    public static final String ACME_TLS_1 = "acme-tls/1";

    /** id-pe-acmeIdentifier, RFC 8737 §6.1. */
    public static final ASN1ObjectIdentifier ACME_IDENTIFIER = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.31");

    private static final int DIGEST_BYTES = 32;

    private TlsAlpnCertificates() {
    }

    /**
     * @param key an EC key pair (P-256, as the challenge key is made): it signs the certificate with SHA256withECDSA
     *     and is its public key
     * @param digest SHA-256 of the key authorization (what acme4j calls the ACME validation, what ualpn sends)
     */
    public static X509Certificate create(KeyPair key, ChallengeIdentifier identifier, byte[] digest) {
        if (digest.length != DIGEST_BYTES) {
            throw new IllegalArgumentException("the key authorization digest must be 32 bytes (SHA-256), got "
                    + digest.length);
        }
        GeneralName san = identifier.ip()
                ? new GeneralName(GeneralName.iPAddress, new DEROctetString(identifier.address().getAddress()))
                : new GeneralName(GeneralName.dNSName, identifier.value());
        return SelfSignedCertificates.create(key, PendingChallenges.PreparedChallenge.TLS_ALPN_01,
                new GeneralNames(san), new Extra(ACME_IDENTIFIER, true, new DEROctetString(digest)));
    }
}
