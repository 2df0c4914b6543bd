package dev.acmejx.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acmejx.mux.ClientHello;
import dev.acmejx.mux.MuxServer;
import dev.acmejx.mux.RouteTarget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The responder behind a real listener, spoken to by the JDK's TLS client as a validator would. */
class AcmeTlsResponderTest {

    private final PendingChallenges challenges = new PendingChallenges();
    private final AcmeTlsResponder responder = new AcmeTlsResponder(challenges);
    private MuxServer server;

    @BeforeEach
    void listen() throws Exception {
        server = MuxServer.start(MuxServer.Settings.single(new InetSocketAddress("127.0.0.1", 0),
                Duration.ofSeconds(5), 1), hello -> responder.targetFor(hello).orElse(RouteTarget.close("closed", "not a challenge")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void publishedChallengeIsAnsweredWithItsCertificateAndAcmeTls1() throws Exception {
        assertAnswered(ChallengeIdentifier.dns("a.test"), "a.test");
    }

    @Test
    void ipChallengeIsAnsweredForItsReverseNameSni() throws Exception {
        assertAnswered(ChallengeIdentifier.ip("192.0.2.7"), "7.2.0.192.in-addr.arpa");
    }

    @Test
    void acmeTls1ForAnUnpublishedNameGetsNoCertificate() throws Exception {
        challenges.publishTlsAlpn01(ChallengeIdentifier.dns("a.test"), TlsAlpnCertificatesTest.sha256("x"));
        try (SSLSocket socket = connect("b.test", "acme-tls/1")) {
            assertThrows(IOException.class, socket::startHandshake);
        }
    }

    @Test
    void withdrawnChallengeIsNoLongerAnswered() throws Exception {
        ChallengeIdentifier id = ChallengeIdentifier.dns("a.test");
        challenges.publishTlsAlpn01(id, TlsAlpnCertificatesTest.sha256("x"));
        assertTrue(challenges.withdraw(id));
        try (SSLSocket socket = connect("a.test", "acme-tls/1")) {
            assertThrows(IOException.class, socket::startHandshake);
        }
    }

    @Test
    void helloWithoutAcmeTls1IsNotTheRespondersEvenForAPendingName() throws Exception {
        challenges.publishTlsAlpn01(ChallengeIdentifier.dns("a.test"), TlsAlpnCertificatesTest.sha256("x"));
        assertEquals(Optional.empty(), responder.targetFor(new ClientHello(Optional.of("a.test"), List.of("h2"))));
        assertTrue(responder.targetFor(new ClientHello(Optional.empty(), List.of("acme-tls/1"))).isPresent(),
                "acme-tls/1 without SNI is still claimed, and refused");
    }

    /** Publishes a challenge, then speaks to it as a validator does: acme-tls/1, its certificate, no data. */
    private void assertAnswered(ChallengeIdentifier identifier, String sni) throws Exception {
        var prepared = challenges.publishTlsAlpn01(identifier, TlsAlpnCertificatesTest.sha256("token.thumbprint"));
        try (SSLSocket socket = connect(sni, "acme-tls/1")) {
            socket.startHandshake();
            assertEquals("acme-tls/1", socket.getApplicationProtocol());
            assertEquals(prepared.certificate(), socket.getSession().getPeerCertificates()[0]);
            assertTrue(List.of("TLSv1.2", "TLSv1.3").contains(socket.getSession().getProtocol()));
            assertEquals(-1, socket.getInputStream().read(), "no application data, then close");
        }
    }

    private SSLSocket connect(String sni, String alpn) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
        InetSocketAddress address = server.boundAddresses().get(0);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(),
                address.getPort());
        socket.setSoTimeout(5000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(sni)));
        parameters.setApplicationProtocols(new String[] {alpn});
        socket.setSSLParameters(parameters);
        return socket;
    }

    /** A validator trusts no chain: it checks the self-signed certificate's contents instead. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
