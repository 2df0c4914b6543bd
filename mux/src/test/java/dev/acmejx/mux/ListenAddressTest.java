package dev.acmejx.mux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenAddressTest {

    @Test
    void ipv4WildcardWithPort() throws Exception {
        InetSocketAddress address = ListenAddress.parse("0.0.0.0:443");

        assertEquals(InetAddress.getByAddress(new byte[4]), address.getAddress());
        assertTrue(address.getAddress().isAnyLocalAddress());
        assertEquals(443, address.getPort());
    }

    @Test
    void bracketedIpv6LoopbackWithPort() throws Exception {
        InetSocketAddress address = ListenAddress.parse("[::1]:8443");

        assertEquals(InetAddress.getByName("::1"), address.getAddress());
        assertTrue(address.getAddress().isLoopbackAddress());
        assertEquals(8443, address.getPort());
    }

    @Test
    void colonAndPortMeansEveryAddress() {
        InetSocketAddress address = ListenAddress.parse(":443");

        assertTrue(address.getAddress().isAnyLocalAddress());
        assertEquals(443, address.getPort());
    }

    @Test
    void barePortMeansEveryAddress() {
        InetSocketAddress address = ListenAddress.parse("443");

        assertTrue(address.getAddress().isAnyLocalAddress());
        assertEquals(443, address.getPort());
    }

    @Test
    void ipv4LoopbackWithPortZero() throws Exception {
        InetSocketAddress address = ListenAddress.parse("127.0.0.1:0");

        assertEquals(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), address.getAddress());
        assertEquals(0, address.getPort());
    }

    @Test
    void highestPortIsAccepted() {
        assertEquals(65535, ListenAddress.parse("10.1.2.3:65535").getPort());
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertEquals(ListenAddress.parse("127.0.0.1:80"), ListenAddress.parse(" 127.0.0.1:80 "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1:443", "example.com:443", "1.2.3.4:99999", "1.2.3.4:65536", "1.2.3.4",
        "[::1]443", "", "::1:443", "1.2.3:443", "1.2.3.4:", "[::1]:", "0.0.0.0:-1", "0.0.0.0:443x"})
    void invalidFormIsRejectedWithTheInputInTheMessage(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(text));

        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    /** "Only literal addresses are accepted": a bracketed host name must not be resolved through DNS. */
    @Test
    void bracketedHostNameIsRejectedNotResolved() {
        String text = "[localhost]:443";

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(text));

        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void formatWritesIpv4AsHostColonPort() {
        assertEquals("127.0.0.1:0", ListenAddress.format(ListenAddress.parse("127.0.0.1:0")));
        assertEquals("0.0.0.0:443", ListenAddress.format(ListenAddress.parse("0.0.0.0:443")));
    }

    @Test
    void formatBracketsIpv6() {
        String formatted = ListenAddress.format(ListenAddress.parse("[::1]:8443"));

        assertTrue(formatted.startsWith("[") && formatted.endsWith("]:8443"), formatted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0:443", "[::1]:8443", ":443", "443", "127.0.0.1:0", "[::]:443",
        "[fe80::1]:9", "192.168.10.200:65535"})
    void formatRoundTripsThroughParse(String text) {
        InetSocketAddress parsed = ListenAddress.parse(text);

        String formatted = ListenAddress.format(parsed);

        assertEquals(parsed, ListenAddress.parse(formatted), formatted);
        assertEquals(formatted, ListenAddress.format(ListenAddress.parse(formatted)));
    }
}
