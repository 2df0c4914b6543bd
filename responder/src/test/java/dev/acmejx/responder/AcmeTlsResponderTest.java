package dev.acmejx.responder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acmejx.mux.ClientHello;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tls-alpn-01 responder behind a real listener, spoken to by the JDK's TLS client as a validator would. */
class AcmeTlsResponderTest {

    static final String KEY_AUTHORIZATION =
            "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";
    /** A fatal unrecognized_name alert record, as RFC 5246 §6.2 and RFC 6066 §3 lay it out. */
    static final byte[] UNRECOGNIZED_NAME_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70};

    private final PendingChallenges challenges = new PendingChallenges();
    private ResponderServer server;
    private ValidatorClient validator;

    @BeforeEach
    void listen() throws Exception {
        server = new ResponderServer(challenges);
        validator = server.validator();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void publishedChallengeIsAnsweredWithAVerifiableCertificateAndAcmeTls1() throws Exception {
        var prepared = challenges.publishTlsAlpn01(ChallengeIdentifier.dns("a.test"),
                TlsAlpnCertificatesTest.sha256(KEY_AUTHORIZATION));

        X509Certificate presented = handshake("a.test");
        assertEquals(prepared.certificate(), presented);
        BoulderStyleVerifier.tlsAlpn01(presented, "a.test", KEY_AUTHORIZATION);
        assertTrue(server.stopAndLogLines().stream().anyMatch(line -> line.contains("route=responder")
                && line.contains("answered (tls-alpn-01 for a.test, TLSv1.3)")));
    }

    @Test
    void ipChallengeIsAnsweredForItsReverseNameSni() throws Exception {
        challenges.publishTlsAlpn01(ChallengeIdentifier.ip("192.0.2.7"),
                TlsAlpnCertificatesTest.sha256(KEY_AUTHORIZATION));

        BoulderStyleVerifier.tlsAlpn01(handshake("7.2.0.192.in-addr.arpa"), InetAddress.getByName("192.0.2.7"),
                KEY_AUTHORIZATION);
    }

    @Test
    void acmeTls1ForAnUnpublishedNameGetsTheUnrecognizedNameAlertAndEof() throws Exception {
        challenges.publishTlsAlpn01(ChallengeIdentifier.dns("a.test"), TlsAlpnCertificatesTest.sha256("x"));

        assertArrayEquals(UNRECOGNIZED_NAME_ALERT, validator.rawReplyToHello("b.test", "acme-tls/1"));
        assertTrue(server.stopAndLogLines().stream().anyMatch(line -> line.contains("sni=b.test")
                && line.contains("refused (acme-tls/1 with no tls-alpn-01 challenge pending)")), "logged as refused");
    }

    @Test
    void tlsClientSeesTheUnrecognizedNameAlert() throws Exception {
        try (SSLSocket socket = validator.connect("b.test", "acme-tls/1")) {
            SSLException refused = assertThrows(SSLException.class, socket::startHandshake);
            assertTrue(refused.getMessage().contains("unrecognized_name"), refused.getMessage());
        }
    }

    @Test
    void withdrawnChallengeIsNoLongerAnswered() throws Exception {
        ChallengeIdentifier id = ChallengeIdentifier.dns("a.test");
        challenges.publishTlsAlpn01(id, TlsAlpnCertificatesTest.sha256("x"));
        assertTrue(challenges.withdraw(id));

        assertArrayEquals(UNRECOGNIZED_NAME_ALERT, validator.rawReplyToHello("a.test", "acme-tls/1"));
    }

    @Test
    void acmeTls1ForTheSniOfALegacyChallengeIsRefused() throws Exception {
        String sni = challenges.publishTlsSni01(KEY_AUTHORIZATION).sni();

        assertArrayEquals(UNRECOGNIZED_NAME_ALERT, validator.rawReplyToHello(sni, "acme-tls/1"));
    }

    @Test
    void helloWithoutAcmeTls1IsNotTheRespondersEvenForAPendingName() throws Exception {
        AcmeTlsResponder responder = new AcmeTlsResponder(challenges);
        challenges.publishTlsAlpn01(ChallengeIdentifier.dns("a.test"), TlsAlpnCertificatesTest.sha256("x"));
        assertEquals(Optional.empty(), responder.targetFor(new ClientHello(Optional.of("a.test"), List.of("h2"))));
        assertTrue(responder.targetFor(new ClientHello(Optional.empty(), List.of("acme-tls/1"))).isPresent(),
                "acme-tls/1 without SNI is still claimed, and refused");
    }

    /** Speaks to a pending challenge as a validator does: acme-tls/1, its certificate, no data, close. */
    private X509Certificate handshake(String sni) throws Exception {
        try (SSLSocket socket = validator.connect(sni, "acme-tls/1")) {
            socket.startHandshake();
            assertEquals("acme-tls/1", socket.getApplicationProtocol());
            assertTrue(List.of("TLSv1.2", "TLSv1.3").contains(socket.getSession().getProtocol()));
            X509Certificate certificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertEquals(-1, socket.getInputStream().read(), "no application data, then close");
            return certificate;
        }
    }
}
