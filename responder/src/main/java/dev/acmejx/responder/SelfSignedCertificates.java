package dev.acmejx.responder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * What every challenge certificate has in common: the key that signs it and the self-signed frame around its
 * names. Validators trust no chain; they read the subjectAltNames and extensions of whatever the handshake
 * presents, so beyond those a challenge certificate only has to be well-formed and currently valid.
 */
final class SelfSignedCertificates {

    private static final Duration VALIDITY = Duration.ofDays(7);
    /** Validity starts an hour back, so a validator whose clock runs a little behind still accepts it. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** What {@link #newKey}'s EC P-256 keys sign with. */
    private static final String SIGNATURE = "SHA256withECDSA";

    /** An extension beyond subjectAltName, such as tls-alpn-01's acmeIdentifier. */
    record Extra(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
    }

    private SelfSignedCertificates() {
    }

    /** One EC P-256 key per process signs every challenge certificate: cheap, and never the site's key. */
    static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate EC P-256 keys", e);
        }
    }

    /**
     * @param key an EC key pair (P-256, as the challenge key is made): it signs the certificate with SHA256withECDSA
     *     and is its public key
     * @param challengeType names the subject, for whoever looks at the certificate with openssl
     * @param sans the subjectAltName extension's names, exactly these
     * @param extras further extensions; none may repeat subjectAltName or each other
     */
    static X509Certificate create(KeyPair key, String challengeType, GeneralNames sans, Extra... extras) {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=acmejx " + challengeType + " challenge");
        try {
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, RANDOM),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, key.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, sans);
            for (Extra extra : extras) {
                builder.addExtension(extra.oid(), extra.critical(), extra.value());
            }
            var signer = new JcaContentSignerBuilder(SIGNATURE).build(key.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the " + challengeType + " certificate for " + sans, e);
        }
    }
}
