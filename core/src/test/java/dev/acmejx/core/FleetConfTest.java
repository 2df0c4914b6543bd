package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a fleet conf shares, and what each node puts back of its own. */
class FleetConfTest {

    @Test
    void nodePathsAndResponderStayOnTheNodeAndTheRestIsShared() throws Exception {
        Lineage a = new Lineage(Path.of("/srv/a"), "example.com");
        Map<String, String> params = new LinkedHashMap<>();
        params.put(ConfKeys.DOMAINS, "example.com, www.example.com");
        params.put(ConfKeys.DEPLOY_HOOK, "systemctl reload nginx");
        params.put(ConfKeys.CONTROL_SOCKET, "/run/a.sock");
        params.put(ConfKeys.TLS_ALPN_LISTEN, "127.0.0.2:443");
        RenewalConf conf = RenewalConf.of(a, "1.0", params).withTops(Map.of(ConfKeys.RENEW_BEFORE_EXPIRY, "20 days"));

        byte[] shared = FleetConf.shared(conf);
        String text = new String(shared, StandardCharsets.UTF_8);
        assertFalse(text.contains("/srv/a"), text);
        assertFalse(text.contains("/run/a.sock"), text);
        assertFalse(text.contains("127.0.0.2"), text);

        Lineage b = new Lineage(Path.of("/srv/b"), "example.com");
        RenewalConf onB = FleetConf.local(shared, b, new ResponderSettings(Optional.of("/run/b.sock"),
                Optional.empty()));
        assertEquals(Optional.of("/srv/b/live/example.com/fullchain.pem"), onB.top("fullchain"));
        assertEquals(Optional.of("20 days"), onB.top(ConfKeys.RENEW_BEFORE_EXPIRY));
        assertEquals(Optional.of("systemctl reload nginx"), onB.param(ConfKeys.DEPLOY_HOOK));
        assertEquals(Optional.of("example.com, www.example.com"), onB.param(ConfKeys.DOMAINS));
        assertEquals(Optional.of("/run/b.sock"), onB.param(ConfKeys.CONTROL_SOCKET));
        assertTrue(onB.param(ConfKeys.TLS_ALPN_LISTEN).isEmpty());
    }

    @Test
    void everyKeyIsUnderTheFleetsOwnPrefix() throws Exception {
        FleetKeys keys = FleetKeys.of("prod");
        assertEquals("/acmejx/prod/lineages/example.com/versions/3/privkey",
                keys.version("example.com", 3, FleetKeys.PRIVKEY));
        assertEquals(Optional.of("example.com"), keys.lineageOfCurrent(keys.current("example.com")));
        assertTrue(keys.lineageOfCurrent(keys.conf("example.com")).isEmpty());
        assertTrue(keys.lock("x").startsWith("/acmejx/prod/") && keys.node("n").startsWith("/acmejx/prod/"));
    }
}
