package dev.acmejx.mux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code --route} rules as a routing table sees them: conditions, wildcards, order. */
class RoutingTableTest {

    private static final RouteTarget FALLBACK = named("default");

    private final RoutingTable table = new RoutingTable(List.of(
            rule("alpn=h2,sni=api.example.com -> 127.0.0.1:9443"),
            rule("sni=*.example.org -> 10.0.0.5:443"),
            rule("sni=api.example.com -> 127.0.0.1:9444")), FALLBACK);

    @Test
    void everyConditionMustHoldAndTheFirstMatchWins() {
        assertEquals("127.0.0.1:9443", route("api.example.com", "h2", "http/1.1"));
        assertEquals("127.0.0.1:9444", route("api.example.com", "http/1.1"), "no h2: the next rule");
        assertEquals("default", route("www.example.com", "h2"));
        assertEquals("default", route(null, "h2"), "no SNI matches no sni= rule");
    }

    @Test
    void aWildcardMatchesNamesBelowTheDomainOnly() {
        assertEquals("10.0.0.5:443", route("a.example.org"));
        assertEquals("10.0.0.5:443", route("deep.a.example.org"));
        assertEquals("default", route("example.org"), "not the domain itself");
        assertEquals("default", route("badexample.org"), "not a name that merely ends the same");
    }

    @Test
    void aBadRuleNamesItselfAndWhatIsWrong() {
        IllegalArgumentException noArrow = assertThrows(IllegalArgumentException.class, () -> rule("sni=a.test"));
        assertTrue(noArrow.getMessage().contains("'sni=a.test'") && noArrow.getMessage().contains("->"),
                noArrow.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> rule("host=a.test -> 127.0.0.1:1"));
        assertTrue(unknown.getMessage().contains("unknown condition 'host'"), unknown.getMessage());
    }

    private String route(String sni, String... alpn) {
        return table.route(new ClientHello(Optional.ofNullable(sni), List.of(alpn))).name();
    }

    private static RouteRule rule(String text) {
        return RouteRule.parse(text, (InetSocketAddress address) -> named(
                address.getAddress().getHostAddress() + ":" + address.getPort()));
    }

    private static RouteTarget named(String name) {
        return new RouteTarget() {
            @Override
            public void accept(Channel channel, ClientHello hello, ByteBuf buffered) {
                buffered.release();
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
