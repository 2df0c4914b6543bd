package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.shredzone.acme4j.Identifier;

/** What -d accepts, how it is normalised, and that every refusal names the value and the reason. */
class DomainNamesTest {

    @Test
    void repeatedAndCommaListsAreFlattenedDeduplicatedAndOrdered() throws Exception {
        List<Identifier> ids = DomainNames.parse(List.of("B.example.com, a.example.com", "b.example.com.",
                "c.example.com"));
        assertEquals(List.of("b.example.com", "a.example.com", "c.example.com"), DomainNames.values(ids));
    }

    @Test
    void punycodeIsAcceptedAndUnicodeIsRefusedWithTheHint() throws Exception {
        assertEquals(List.of("xn--bcher-kva.example"),
                DomainNames.values(DomainNames.parse(List.of("XN--bcher-kva.example"))));
        AcmejxException e = assertThrows(AcmejxException.class, () -> DomainNames.parse(List.of("faß.de")));
        assertTrue(e.getMessage().contains("punycode"), e.getMessage());
    }

    @Test
    void ipAddressesBecomeIpIdentifiers() throws Exception {
        List<Identifier> ids = DomainNames.parse(List.of("192.0.2.1", "2001:db8::1"));
        assertEquals(Identifier.TYPE_IP, ids.get(0).getType());
        assertEquals(Identifier.TYPE_IP, ids.get(1).getType());
        assertEquals("192.0.2.1", ids.get(0).getValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"exa mple.com", "-a.example.com", "a-.example.com", "a..example.com", "localhost",
        "*.example.com", "300.1.1.1", "example.123", "a_b.example.com", "2001:db8::zz", "www.example.com:443", "1:2"})
    void invalidNamesAreRefusedWithTheValueInTheMessage(String name) {
        AcmejxException e = assertThrows(AcmejxException.class, () -> DomainNames.parse(List.of(name)));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @Test
    void overlongLabelIsRefused() {
        String label = "a".repeat(64);
        AcmejxException e = assertThrows(AcmejxException.class,
                () -> DomainNames.parse(List.of(label + ".example.com")));
        assertTrue(e.getMessage().contains("invalid domain"), e.getMessage());
    }

    @Test
    void wildcardMessageExplainsWhy() {
        AcmejxException e = assertThrows(AcmejxException.class, () -> DomainNames.parse(List.of("*.example.com")));
        assertTrue(e.getMessage().contains("dns-01"), e.getMessage());
    }

    @Test
    void nothingGivenIsRefused() {
        assertThrows(AcmejxException.class, () -> DomainNames.parse(List.of(" , ")));
    }
}
