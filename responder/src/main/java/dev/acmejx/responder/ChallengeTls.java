package dev.acmejx.responder;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The server side of one published challenge's handshakes: the JDK's TLS (no native library to ship), TLS 1.2 and
 * 1.3 as every validator speaks one of them, with the challenge's certificate and key.
 *
 * <p>Built on {@link SSLContext} itself rather than Netty's {@code SslContextBuilder}: the first Netty server
 * context runs a self-test that parses a PEM key with BouncyCastle's provider, which registers its thousands of
 * algorithms and stays in a long-running serve's memory (about 10 MiB) for nothing, as no challenge uses it.
 */
public final class ChallengeTls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /**
     * The in-memory key store: its type named, not the JDK's configurable default, and its one entry and password,
     * which nothing outside this class ever sees.
     */
    private static final String KEY_STORE = "PKCS12";
    private static final String ALIAS = "challenge";
    private static final char[] PASSWORD = new char[0];

    private final SSLContext context;
    private final String[] applicationProtocols;

    private ChallengeTls(SSLContext context, String... applicationProtocols) {
        this.context = context;
        this.applicationProtocols = applicationProtocols;
    }

    /**
     * RFC 8737 §3: the server negotiates {@code acme-tls/1}, its only protocol (the router sends it no hello that
     * does not offer it).
     */
    static ChallengeTls tlsAlpn01(KeyPair key, X509Certificate certificate) {
        return new ChallengeTls(context(key, certificate), TlsAlpnCertificates.ACME_TLS_1);
    }

    /** The tls-sni and dvsni validators predate {@code acme-tls/1} and offer no protocol, so none is required. */
    static ChallengeTls legacy(KeyPair key, X509Certificate certificate) {
        return new ChallengeTls(context(key, certificate));
    }

    /** A server engine for one validation connection. */
    SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        parameters.setApplicationProtocols(applicationProtocols);
        engine.setSSLParameters(parameters);
        return engine;
    }

    private static SSLContext context(KeyPair key, X509Certificate certificate) {
        try {
            KeyStore store = KeyStore.getInstance(KEY_STORE);
            store.load(null, null);
            store.setKeyEntry(ALIAS, key.getPrivate(), PASSWORD, new Certificate[] {certificate});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS for the challenge certificate", e);
        }
    }
}
