package dev.acmejx.core;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Small real certificate chains for store tests: a leaf for some names signed by a throwaway issuer. */
final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(1000);

    private TestCertificates() {
    }

    record Issued(KeyPair leafKey, List<X509Certificate> chain) {
    }

    static Issued chain(List<String> names, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair issuerKey = KeySpec.ACCOUNT.generate();
        KeyPair leafKey = KeySpec.ACCOUNT.generate();
        X500Name issuer = new X500Name("CN=test issuer");
        X509Certificate issuerCert = sign(issuer, issuer, issuerKey.getPublic(), issuerKey, notBefore, notAfter, null);
        GeneralName[] sans = names.stream().map(n -> new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        X509Certificate leaf = sign(issuer, new X500Name("CN=" + names.get(0)), leafKey.getPublic(), issuerKey,
                notBefore, notAfter, new GeneralNames(sans));
        return new Issued(leafKey, List.of(leaf, issuerCert));
    }

    private static X509Certificate sign(X500Name issuer, X500Name subject, java.security.PublicKey key,
            KeyPair signer, Instant notBefore, Instant notAfter, GeneralNames sans) throws Exception {
        var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore), Date.from(notAfter), subject, key);
        if (sans != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, sans);
            // ARI's certificate id (RFC 9773 §4.1) is the issuer's key id and the serial: leaves carry it.
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(signer.getPublic()));
        }
        var contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }
}
