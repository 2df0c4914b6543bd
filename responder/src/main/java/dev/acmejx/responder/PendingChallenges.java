package dev.acmejx.responder;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The challenges the responder currently answers, keyed by the SNI a validator will send. Everything a
 * handshake needs is built once, at publish time: validators connect several times, concurrently and from
 * several places, and each of those connections only looks its challenge up.
 */
public final class PendingChallenges {

    private final KeyPair key = newChallengeKey();
    private final Map<String, PreparedChallenge> bySni = new ConcurrentHashMap<>();

    /** A published challenge, ready to be answered. */
    public record PreparedChallenge(ChallengeIdentifier identifier, X509Certificate certificate,
            SslContext sslContext) {
    }

    /**
     * Prepares and publishes the tls-alpn-01 answer for {@code identifier}, replacing any earlier one.
     *
     * @param digest SHA-256 of the key authorization
     */
    public PreparedChallenge publishTlsAlpn01(ChallengeIdentifier identifier, byte[] digest) {
        X509Certificate certificate = TlsAlpnCertificates.create(key, identifier, digest);
        PreparedChallenge prepared = new PreparedChallenge(identifier, certificate, sslContext(certificate));
        bySni.put(identifier.sniName(), prepared);
        return prepared;
    }

    /**
     * Builds a certificate and TLS context that are thrown away. The first of each costs hundreds of
     * milliseconds of class loading and JSSE set-up; done while the account and order are on the wire, it keeps
     * that out of the time between the CA handing out a challenge and the responder being ready for it.
     */
    public void warmUp() {
        sslContext(TlsAlpnCertificates.create(key, ChallengeIdentifier.dns("warm-up.acme.invalid"), new byte[32]));
    }

    /** @return whether a challenge for that identifier was pending */
    public boolean withdraw(ChallengeIdentifier identifier) {
        return bySni.remove(identifier.sniName()) != null;
    }

    /** The challenge to present for a ClientHello's SNI, if one is pending. */
    public Optional<PreparedChallenge> find(String sni) {
        return Optional.ofNullable(bySni.get(sni));
    }

    private SslContext sslContext(X509Certificate certificate) {
        try {
            return SslContextBuilder.forServer(key.getPrivate(), certificate)
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                            SelectorFailureBehavior.FATAL_ALERT, SelectedListenerFailureBehavior.FATAL_ALERT,
                            TlsAlpnCertificates.ACME_TLS_1))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for the challenge certificate", e);
        }
    }

    /** One EC P-256 key per process signs every challenge certificate: cheap, and never the site's key. */
    private static KeyPair newChallengeKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate EC P-256 keys", e);
        }
    }
}
