package dev.acmejx.responder;

import static dev.acmejx.responder.AcmeTlsResponderTest.KEY_AUTHORIZATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acmejx.responder.PendingChallenges.PreparedChallenge;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The registry on its own: the names each form is published under, withdrawal, listing and expiry. */
class PendingChallengesTest {

    private static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
    private static final Duration LIFETIME = Duration.ofMinutes(5);

    private final SettableClock clock = new SettableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final PendingChallenges challenges = new PendingChallenges(LIFETIME, clock);

    @Test
    void tlsSni01IsPublishedUnderItsKnownAnswerName() {
        PreparedChallenge prepared = challenges.publishTlsSni01(KEY_AUTHORIZATION);

        String expected = "94233b719c905dc5472b69e75b78e302.1353dc5be6d7c50dfa45996649caa183.acme.invalid";
        assertEquals(expected, prepared.sni());
        assertEquals(expected, prepared.name());
        assertEquals("tls-sni-01", prepared.type());
        BoulderStyleVerifier.tlsSni01(prepared.certificate(), KEY_AUTHORIZATION);
    }

    @Test
    void tlsSni02IsPublishedUnderItsKnownAnswerSanA() {
        PreparedChallenge prepared = challenges.publishTlsSni02(TOKEN, KEY_AUTHORIZATION);

        assertEquals("7ea0aaa69214e71e02cebb18bb867736.09b730209baabf60e43d4999979ff139.token.acme.invalid",
                prepared.sni());
        BoulderStyleVerifier.tlsSni02(prepared.certificate(), TOKEN, KEY_AUTHORIZATION);
    }

    @Test
    void dvsniIsNamedByItsDomainAndAnsweredOnTheLowerCasedNonce() {
        byte[] r = new byte[32];
        byte[] s = new byte[32];
        for (int i = 0; i < 32; i++) {
            r[i] = (byte) i;
            s[i] = (byte) (32 + i);
        }
        PreparedChallenge prepared = challenges.publishDvsni("A.Test", "ABCDEF01", r, s);

        assertEquals("a.test", prepared.name());
        assertEquals("abcdef01.acme.invalid", prepared.sni());
        assertEquals("fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108.acme.invalid",
                BoulderStyleVerifier.dvsniSan(r, s), "the verifier's own derivation, checked against a known answer");
        BoulderStyleVerifier.dvsni(prepared.certificate(), "a.test", r, s);
    }

    @Test
    void tlsAlpn01AndLegacyLookupsSeeOnlyTheirOwnKind() {
        String legacySni = challenges.publishTlsSni01(KEY_AUTHORIZATION).sni();
        challenges.publishTlsAlpn01(ChallengeIdentifier.dns("a.test"), new byte[32]);

        assertEquals(Optional.empty(), challenges.find(legacySni));
        assertEquals(Optional.empty(), challenges.findLegacy("a.test"));
        assertEquals("tls-sni-01", challenges.findLegacy(legacySni).orElseThrow().type());
        assertEquals("tls-alpn-01", challenges.find("a.test").orElseThrow().type());
    }

    @Test
    void challengeExpiresOnItsOwnAfterTheLifetime() {
        PreparedChallenge alpn = challenges.publishTlsAlpn01(ChallengeIdentifier.dns("a.test"), new byte[32]);
        String legacySni = challenges.publishTlsSni01(KEY_AUTHORIZATION).sni();
        assertEquals(clock.instant().plus(LIFETIME), alpn.expires());

        clock.advance(LIFETIME.minusSeconds(1));
        assertTrue(challenges.find("a.test").isPresent());
        assertEquals(2, challenges.list().size());

        clock.advance(Duration.ofSeconds(2));
        assertEquals(Optional.empty(), challenges.find("a.test"));
        assertEquals(Optional.empty(), challenges.findLegacy(legacySni));
        assertEquals(List.of(), challenges.list());
        assertFalse(challenges.withdraw("a.test"), "nothing left to withdraw");
    }

    @Test
    void republishingRenewsTheLifetime() {
        challenges.publishTlsAlpn01(ChallengeIdentifier.dns("a.test"), new byte[32]);
        clock.advance(LIFETIME.minusSeconds(1));
        challenges.publishTlsAlpn01(ChallengeIdentifier.dns("a.test"), new byte[32]);
        clock.advance(Duration.ofSeconds(2));

        assertTrue(challenges.find("a.test").isPresent());
    }

    @Test
    void withdrawByIdentifierInAnyTextForm() {
        challenges.publishTlsAlpn01(ChallengeIdentifier.dns("a.test"), new byte[32]);
        challenges.publishTlsAlpn01(ChallengeIdentifier.ip("2001:db8::1"), new byte[32]);
        challenges.publishDvsni("b.test", "ab", new byte[] {1}, new byte[] {2});

        assertTrue(challenges.withdraw("A.TEST"));
        assertTrue(challenges.withdraw("2001:DB8:0:0::1"));
        assertTrue(challenges.withdraw("b.test"));
        assertFalse(challenges.withdraw("b.test"), "already gone");
        assertEquals(List.of(), challenges.list());
    }

    @Test
    void withdrawByDerivedSni() {
        String sni01 = challenges.publishTlsSni01(KEY_AUTHORIZATION).sni();
        challenges.publishDvsni("b.test", "ab", new byte[] {1}, new byte[] {2});
        challenges.publishTlsAlpn01(ChallengeIdentifier.ip("192.0.2.7"), new byte[32]);

        assertTrue(challenges.withdraw(sni01));
        assertTrue(challenges.withdraw("ab.acme.invalid"));
        assertTrue(challenges.withdraw("7.2.0.192.in-addr.arpa"));
        assertEquals(List.of(), challenges.list());
    }

    @Test
    void withdrawLeavesOtherNamesPending() {
        challenges.publishTlsAlpn01(ChallengeIdentifier.dns("a.test"), new byte[32]);
        challenges.publishTlsAlpn01(ChallengeIdentifier.dns("b.test"), new byte[32]);

        assertFalse(challenges.withdraw("c.test"));
        assertTrue(challenges.withdraw(ChallengeIdentifier.dns("a.test")));
        assertEquals(List.of("b.test"), challenges.list().stream().map(PreparedChallenge::name).toList());
    }

    @Test
    void listShowsEveryKindWithItsNameAndSni() {
        challenges.publishTlsAlpn01(ChallengeIdentifier.ip("192.0.2.7"), new byte[32]);
        String sni02 = challenges.publishTlsSni02(TOKEN, KEY_AUTHORIZATION).sni();
        challenges.publishDvsni("a.test", "ab", new byte[] {1}, new byte[] {2});

        assertEquals(List.of("192.0.2.7 tls-alpn-01 7.2.0.192.in-addr.arpa", sni02 + " tls-sni-02 " + sni02,
                "a.test dvsni ab.acme.invalid"), challenges.list().stream()
                        .map(c -> c.name() + " " + c.type() + " " + c.sni()).toList());
    }

    @Test
    void malformedKeyAuthorizationsAreRefusedByValue() {
        assertRefused("'no-dot'", () -> challenges.publishTlsSni01("no-dot"));
        assertRefused("'a.b.c'", () -> challenges.publishTlsSni01("a.b.c"));
        assertRefused("'tok en.thumb'", () -> challenges.publishTlsSni01("tok en.thumb"));
        assertRefused("token 'tok='", () -> challenges.publishTlsSni02("tok=", "tok=.thumb"));
        assertRefused("'other.thumb' is not for token 'tok'", () -> challenges.publishTlsSni02("tok", "other.thumb"));
    }

    @Test
    void malformedDvsniInputsAreRefusedByValue() {
        assertRefused("domain 'not a domain'", () -> challenges.publishDvsni("not a domain", "ab", new byte[1],
                new byte[1]));
        assertRefused("domain '-a.test'", () -> challenges.publishDvsni("-a.test", "ab", new byte[1], new byte[1]));
        assertRefused("nonce 'xyz'", () -> challenges.publishDvsni("a.test", "xyz", new byte[1], new byte[1]));
        assertRefused("dvsni s is empty", () -> challenges.publishDvsni("a.test", "ab", new byte[1], new byte[0]));
    }

    @Test
    void lifetimeMustBePositive() {
        assertRefused("PT0S", () -> new PendingChallenges(Duration.ZERO));
    }

    private static void assertRefused(String expectedInMessage, Executable call) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, call);
        assertTrue(refused.getMessage().contains(expectedInMessage), refused.getMessage());
    }

    /** A clock the test moves by hand, so expiry is tested without waiting for it. */
    private static final class SettableClock extends Clock {

        private Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the registry only reads instants");
        }
    }
}
