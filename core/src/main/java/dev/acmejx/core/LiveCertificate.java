package dev.acmejx.core;

import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The version of a lineage its live links point at, with the leaf certificate read back from disk. */
public record LiveCertificate(Lineage lineage, int version, X509Certificate certificate) {

    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** The DNS names and IP addresses the certificate covers, in its SAN order. */
    public List<String> names() {
        try {
            return names(certificate);
        } catch (CertificateParsingException e) {
            throw new IllegalStateException("unreadable subjectAltName in " + lineage.live("cert"), e);
        }
    }

    /** The DNS names and IP addresses of any certificate, in its SAN order, as certbot reads a lineage's names. */
    static List<String> names(X509Certificate certificate) throws CertificateParsingException {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                if (type == 2 || type == 7) {
                    names.add(String.valueOf(san.get(1)));
                }
            }
        }
        return names;
    }

    /** The serial number as hex, as openssl prints it. */
    public String serialHex() {
        return certificate.getSerialNumber().toString(16);
    }

    /** The key type as people name it: {@code ECDSA P-256}, {@code ECDSA P-384}, {@code RSA 3072}. */
    public String keyType() {
        return keyType(certificate.getPublicKey());
    }

    static String keyType(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            return "ECDSA P-" + ec.getParams().getCurve().getField().getFieldSize();
        }
        if (key instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        return key.getAlgorithm();
    }
}
