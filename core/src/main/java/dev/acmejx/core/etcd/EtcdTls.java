package dev.acmejx.core.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * TLS to etcd from the PEM files etcd's own tools take: the CA that signed the members' certificates, and this
 * client's certificate and key when the cluster asks for one ({@code --client-cert-auth}).
 */
final class EtcdTls {

    private static final char[] NO_PASSWORD = new char[0];

    private EtcdTls() {
    }

    static SSLContext context(EtcdSettings settings) throws EtcdException {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(settings.caCert().isPresent() ? trustStore(settings.caCert().get()) : null);
            KeyManagerFactory keys = null;
            if (settings.clientCert().isPresent()) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore(settings.clientCert().get(), settings.clientKey().orElseThrow(() ->
                        new EtcdException("--etcd-cert needs --etcd-key: the private key of that certificate"))),
                        NO_PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new EtcdException("cannot set up TLS to etcd from --etcd-ca-cert/--etcd-cert/--etcd-key: "
                    + e.getMessage(), e);
        }
    }

    private static KeyStore trustStore(Path caCert) throws IOException, GeneralSecurityException {
        KeyStore store = emptyStore();
        int i = 0;
        for (Certificate certificate : certificates(caCert)) {
            store.setCertificateEntry("ca" + i++, certificate);
        }
        return store;
    }

    private static KeyStore keyStore(Path cert, Path key) throws IOException, GeneralSecurityException {
        KeyStore store = emptyStore();
        store.setKeyEntry("client", privateKey(key), NO_PASSWORD,
                certificates(cert).toArray(new Certificate[0]));
        return store;
    }

    private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        return store;
    }

    private static Collection<? extends Certificate> certificates(Path file)
            throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    /**
     * The first private key in the file, whatever comes before it: {@code openssl ecparam -genkey}, the usual way
     * to make an EC key, writes an {@code EC PARAMETERS} block first, and etcdctl and curl skip it as well.
     */
    private static PrivateKey privateKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object parsed = parser.readObject(); parsed != null; parsed = parser.readObject()) {
                if (parsed instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (parsed instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
            throw new IOException(file + " holds no PEM private key");
        }
    }
}
