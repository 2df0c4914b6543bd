package dev.acmejx.responder;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * The server side of a challenge handshake, one context per published challenge: the JDK's TLS (no native
 * library to ship), TLS 1.2 and 1.3 as every validator speaks one of them.
 */
final class ChallengeSslContexts {

    private ChallengeSslContexts() {
    }

    /** RFC 8737 §3: the server must negotiate {@code acme-tls/1}; a hello that does not offer it gets an alert. */
    static SslContext tlsAlpn01(KeyPair key, X509Certificate certificate) {
        return build(SslContextBuilder.forServer(key.getPrivate(), certificate)
                .applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                        SelectorFailureBehavior.FATAL_ALERT, SelectedListenerFailureBehavior.FATAL_ALERT,
                        TlsAlpnCertificates.ACME_TLS_1)));
    }

    /** The tls-sni and dvsni validators predate {@code acme-tls/1} and offer no protocol, so none is required. */
    static SslContext legacy(KeyPair key, X509Certificate certificate) {
        return build(SslContextBuilder.forServer(key.getPrivate(), certificate));
    }

    private static SslContext build(SslContextBuilder builder) {
        try {
            return builder.sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2").build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for the challenge certificate", e);
        }
    }
}
