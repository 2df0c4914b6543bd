package dev.acmejx.responder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
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
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

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
    private static final Duration VALIDITY = Duration.ofDays(7);
    private static final SecureRandom RANDOM = new SecureRandom();

    private TlsAlpnCertificates() {
    }

    /**
     * @param key signs the certificate and is its public key
     * @param digest SHA-256 of the key authorization (what acme4j calls the ACME validation, what ualpn sends)
     */
    public static X509Certificate create(KeyPair key, ChallengeIdentifier identifier, byte[] digest) {
        if (digest.length != DIGEST_BYTES) {
            throw new IllegalArgumentException("the key authorization digest must be 32 bytes (SHA-256), got "
                    + digest.length);
        }
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=acmejx tls-alpn-01 challenge");
        GeneralName san = identifier.ip()
                ? new GeneralName(GeneralName.iPAddress, new DEROctetString(identifier.address().getAddress()))
                : new GeneralName(GeneralName.dNSName, identifier.value());
        try {
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, RANDOM),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject,
                    key.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
            builder.addExtension(ACME_IDENTIFIER, true, new DEROctetString(digest));
            var signer = new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the tls-alpn-01 certificate for " + identifier, e);
        }
    }

    private static String signatureAlgorithm(KeyPair key) {
        return "EC".equals(key.getPublic().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
    }
}
