package dev.acmejx.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The roots acmejx trusts for the ACME server's HTTPS: the JVM's own, plus those of {@code --ca-cert} for a
 * private or test CA such as Pebble. Extra roots are added, never substituted, so a wrong file cannot make a
 * public CA untrusted.
 */
final class ServerTrust {

    private ServerTrust() {
    }

    static SSLContext withExtraRoots(Path pemFile) throws AcmejxException {
        Collection<? extends Certificate> extra = readCertificates(pemFile);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate root : jvmRoots()) {
                store.setCertificateEntry("jvm-" + i++, root);
            }
            for (Certificate root : extra) {
                store.setCertificateEntry("extra-" + i++, root);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new AcmejxException("cannot set up trust with --ca-cert " + pemFile + ": " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> readCertificates(Path pemFile) throws AcmejxException {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new AcmejxException("--ca-cert " + pemFile + " holds no certificate; give a PEM file "
                        + "with the root that signed the ACME server's HTTPS certificate");
            }
            return certificates;
        } catch (IOException e) {
            throw new AcmejxException("cannot read --ca-cert " + pemFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new AcmejxException("--ca-cert " + pemFile + " is not a PEM certificate file: "
                    + e.getMessage(), e);
        }
    }

    private static X509Certificate[] jvmRoots() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509.getAcceptedIssuers();
            }
        }
        return new X509Certificate[0];
    }
}
