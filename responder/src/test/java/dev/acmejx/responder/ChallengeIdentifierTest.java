package dev.acmejx.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** RFC 8738 §6: the SNI of an IP identifier is its reverse-DNS name. */
class ChallengeIdentifierTest {

    @Test
    void dnsNameIsItsOwnSni() {
        assertEquals("www.example.org", ChallengeIdentifier.dns("WWW.Example.org").sniName());
    }

    @Test
    void ipv4SniIsInAddrArpa() {
        assertEquals("4.3.2.1.in-addr.arpa", ChallengeIdentifier.ip("1.2.3.4").sniName());
    }

    @Test
    void ipv6SniIsNibbleFormUnderIp6Arpa() {
        assertEquals("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
                ChallengeIdentifier.ip("2001:db8::1").sniName());
    }

    @Test
    void bareNameIsAnIpIdentifierOnlyWhenItIsAnIpLiteral() {
        assertEquals(ChallengeIdentifier.ip("2001:db8::1"), ChallengeIdentifier.of("2001:DB8:0::1"));
        assertEquals(ChallengeIdentifier.ip("192.0.2.7"), ChallengeIdentifier.of("192.0.2.7"));
        assertEquals(ChallengeIdentifier.dns("a.test"), ChallengeIdentifier.of("A.Test"));
        assertEquals(ChallengeIdentifier.dns("1.2.3"), ChallengeIdentifier.of("1.2.3"));
    }

    @Test
    void hostNameIsNotAnIpLiteralAndIsNeverLookedUp() {
        assertThrows(IllegalArgumentException.class, () -> ChallengeIdentifier.ip("localhost"));
        assertThrows(IllegalArgumentException.class, () -> ChallengeIdentifier.ip("1.2.3"));
    }
}
