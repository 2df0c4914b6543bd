package dev.acmejx.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acmejx.mux.ClientHello;
import dev.acmejx.mux.ClientHelloReader;
import dev.acmejx.mux.RouteTarget;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** acme-tls/1 first, then .acme.invalid, then whatever else the listener does: the one rule, in its order. */
class ChallengeRouterTest {

    private static final RouteTarget LEGACY = RouteTarget.close("legacy", "test");
    private static final RouteTarget OTHERWISE = RouteTarget.close("backend", "test");

    private final PendingChallenges challenges = new PendingChallenges();
    private final ChallengeRouter router = new ChallengeRouter(challenges, hello -> LEGACY, hello -> OTHERWISE);

    private static ClientHello hello(String sni, String... alpn) {
        return new ClientHello(Optional.ofNullable(sni), List.of(alpn));
    }

    /** A JDK client's ClientHello as the mux reads it off the wire. */
    private static ClientHello fromTheWire(String sni, String... alpn) throws Exception {
        byte[] record = ValidatorClient.clientHello(sni, alpn);
        assertTrue(new String(record, StandardCharsets.US_ASCII).contains(sni), "the client sent the name as given");
        return new ClientHelloReader().read(Unpooled.wrappedBuffer(record)).orElseThrow();
    }

    @Test
    void acmeTlsOneIsTheRespondersWhetherAChallengeIsPendingOrNot() {
        assertEquals("responder", router.route(hello("example.com", "acme-tls/1")).name());
        challenges.publishTlsAlpn01(ChallengeIdentifier.dns("example.com"), new byte[32]);
        assertEquals("responder", router.route(hello("example.com", "h2", "acme-tls/1")).name());
    }

    @Test
    void acmeTlsOneWinsOverAnAcmeInvalidName() {
        assertEquals("responder", router.route(hello("a.b.acme.invalid", "acme-tls/1")).name());
    }

    @Test
    void anAcmeInvalidNameWithoutThatProtocolGoesWhereLegacyChallengesGo() {
        assertEquals(LEGACY, router.route(hello("x.y.token.acme.invalid")));
        assertEquals(LEGACY, router.route(hello("x.y.acme.invalid", "http/1.1")));
    }

    /** The mux lower-cases the SNI it reads, so the suffix matches in whatever case a client wrote it. */
    @Test
    void anAcmeInvalidNameInCapitalsOnTheWireIsStillOne() throws Exception {
        assertEquals(LEGACY, router.route(fromTheWire("X.Y.TOKEN.ACME.INVALID")));
        assertEquals("responder", router.route(fromTheWire("A.B.ACME.INVALID", "acme-tls/1")).name());
    }

    @Test
    void everythingElseGoesOn() {
        assertEquals(OTHERWISE, router.route(hello("example.com", "h2", "http/1.1")));
        assertEquals(OTHERWISE, router.route(hello(null)));
        assertEquals(OTHERWISE, router.route(hello("acme.invalid.example.com")));
    }
}
