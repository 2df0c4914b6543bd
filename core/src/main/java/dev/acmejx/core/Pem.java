package dev.acmejx.core;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** PEM as nginx, apache and certbot write it: certificates, and private keys as PKCS#8 "PRIVATE KEY". */
final class Pem {

    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {
    }

    static byte[] certificates(List<X509Certificate> certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                block(pem, "CERTIFICATE", certificate.getEncoded());
            } catch (CertificateException e) {
                throw new IllegalStateException("certificate cannot be encoded", e);
            }
        }
        return pem.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] privateKey(PrivateKey key) {
        return block(new StringBuilder(), "PRIVATE KEY", key.getEncoded()).toString()
                .getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] publicKey(PublicKey key) {
        return block(new StringBuilder(), "PUBLIC KEY", key.getEncoded()).toString()
                .getBytes(StandardCharsets.US_ASCII);
    }

    static List<X509Certificate> readCertificates(byte[] pem) throws CertificateException {
        return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).stream()
                .map(X509Certificate.class::cast)
                .toList();
    }

    /** The first certificate of a PEM file, the leaf of a chain; a file with none is as unreadable as a broken one. */
    static X509Certificate firstCertificate(byte[] pem) throws CertificateException {
        List<X509Certificate> certificates = readCertificates(pem);
        if (certificates.isEmpty()) {
            throw new CertificateException("no PEM certificate in it");
        }
        return certificates.get(0);
    }

    private static StringBuilder block(StringBuilder pem, String type, byte[] der) {
        return pem.append("-----BEGIN ").append(type).append("-----\n")
                .append(BASE64.encodeToString(der)).append('\n')
                .append("-----END ").append(type).append("-----\n");
    }
}
