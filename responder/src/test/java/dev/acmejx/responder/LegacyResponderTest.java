package dev.acmejx.responder;

import static dev.acmejx.responder.AcmeTlsResponderTest.KEY_AUTHORIZATION;
import static dev.acmejx.responder.AcmeTlsResponderTest.UNRECOGNIZED_NAME_ALERT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The legacy responder behind a real listener, spoken to as the tls-sni-01, tls-sni-02 and dvsni validators did:
 * an {@code .acme.invalid} SNI, no ALPN, and the presented certificate judged by {@link BoulderStyleVerifier}.
 */
class LegacyResponderTest {

    private static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
    private static final byte[] R = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] S = HexFormat.of().parseHex(
            "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");

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
    void tlsSni01IsAnsweredOnItsDerivedName() throws Exception {
        String sni = BoulderStyleVerifier.tlsSni01Name(KEY_AUTHORIZATION);
        var prepared = challenges.publishTlsSni01(KEY_AUTHORIZATION);

        X509Certificate presented = handshake(sni);
        assertEquals(prepared.certificate(), presented);
        BoulderStyleVerifier.tlsSni01(presented, KEY_AUTHORIZATION);
        assertTrue(server.stopAndLogLines().stream().anyMatch(line -> line.contains("route=legacy-responder")
                && line.contains("answered (tls-sni-01 for " + sni + ", TLSv1.3)")));
    }

    @Test
    void tlsSni02IsAnsweredOnSanA() throws Exception {
        challenges.publishTlsSni02(TOKEN, KEY_AUTHORIZATION);

        BoulderStyleVerifier.tlsSni02(handshake(BoulderStyleVerifier.tlsSni02SanA(TOKEN)), TOKEN,
                KEY_AUTHORIZATION);
    }

    @Test
    void dvsniIsAnsweredOnTheNonceName() throws Exception {
        challenges.publishDvsni("a.test", "0123456789abcdef0123456789abcdef", R, S);

        BoulderStyleVerifier.dvsni(handshake("0123456789abcdef0123456789abcdef.acme.invalid"), "a.test", R, S);
    }

    @Test
    void legacyChallengeIsAnsweredEvenWhenTheClientOffersAlpn() throws Exception {
        String sni = challenges.publishTlsSni01(KEY_AUTHORIZATION).sni();

        try (SSLSocket socket = validator.connect(sni, "http/1.1")) {
            socket.startHandshake();
            BoulderStyleVerifier.tlsSni01((X509Certificate) socket.getSession().getPeerCertificates()[0],
                    KEY_AUTHORIZATION);
        }
    }

    @Test
    void nameWithNothingPendingGetsTheUnrecognizedNameAlertAndEof() throws Exception {
        challenges.publishTlsSni01(KEY_AUTHORIZATION);

        assertArrayEquals(UNRECOGNIZED_NAME_ALERT, validator.rawReplyToHello("ffff.acme.invalid"));
        assertTrue(server.stopAndLogLines().stream().anyMatch(line -> line.contains("sni=ffff.acme.invalid")
                && line.contains("refused (no legacy challenge pending)")), "logged as refused");
    }

    @Test
    void tlsClientSeesTheUnrecognizedNameAlert() throws Exception {
        try (SSLSocket socket = validator.connect("ffff.acme.invalid")) {
            SSLException refused = assertThrows(SSLException.class, socket::startHandshake);
            assertTrue(refused.getMessage().contains("unrecognized_name"), refused.getMessage());
        }
    }

    @Test
    void tlsAlpn01ChallengeIsNotALegacyAnswer() throws Exception {
        challenges.publishTlsAlpn01(ChallengeIdentifier.dns("x.acme.invalid"),
                TlsAlpnCertificatesTest.sha256(KEY_AUTHORIZATION));

        assertArrayEquals(UNRECOGNIZED_NAME_ALERT, validator.rawReplyToHello("x.acme.invalid"));
    }

    @Test
    void withdrawnLegacyChallengeIsRefused() throws Exception {
        String sni = challenges.publishTlsSni01(KEY_AUTHORIZATION).sni();
        assertTrue(challenges.withdraw(sni));

        assertArrayEquals(UNRECOGNIZED_NAME_ALERT, validator.rawReplyToHello(sni));
    }

    /** A legacy validator's connection: no ALPN, the challenge certificate, no application data, close. */
    private X509Certificate handshake(String sni) throws Exception {
        try (SSLSocket socket = validator.connect(sni)) {
            socket.startHandshake();
            assertEquals("", socket.getApplicationProtocol(), "no protocol negotiated");
            assertTrue(List.of("TLSv1.2", "TLSv1.3").contains(socket.getSession().getProtocol()));
            X509Certificate certificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertEquals(-1, socket.getInputStream().read(), "no application data, then close");
            return certificate;
        }
    }
}
