package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code acmejx serve} in front of a real nginx, spoken to by curl and openssl as visitors and validators. */
class ServeIT {

    private static Nginx nginx;

    @BeforeAll
    static void startNginx() throws Exception {
        nginx = Nginx.start();
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void curlOverHttp2AndHttp11ReachesNginxThroughServe() {
        int port = FreePorts.next();
        try (Serve serve = Serve.start("--listen", "127.0.0.1:" + port, "--backend", "127.0.0.1:" + nginx.port)) {
            for (String version : List.of("--http2", "--http1.1")) {
                Command.Result curl = curl(port, version).assertSuccess();
                assertEquals(Nginx.BODY + "\n" + (version.equals("--http2") ? "2" : "1.1"), curl.out().strip()
                        .replace("\n\n", "\n"), curl.describe("body and HTTP version"));
            }
            String line = serve.awaitLine(l -> l.contains("alpn=h2,http/1.1"));
            assertTrue(line.contains("sni=" + Nginx.SITE) && line.contains("route=127.0.0.1:" + nginx.port)
                    && line.contains(": completed"), line);
            assertEquals(0, serve.stop(), "SIGTERM is a clean stop");
        }
    }

    @Test
    void acmeTls1IsNeverForwardedToTheWebServer() throws Exception {
        int port = FreePorts.next();
        try (ServerSocket web = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Serve serve = Serve.start("--listen", "127.0.0.1:" + port, "--backend",
                        "127.0.0.1:" + web.getLocalPort())) {
            Command.Result validator = Command.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                    "-servername", Nginx.SITE, "-alpn", "acme-tls/1"), Map.of(), Duration.ofSeconds(30));

            assertNotEquals(0, validator.exit(), validator.describe("no handshake"));
            assertFalse(validator.out().contains("BEGIN CERTIFICATE"), validator.describe("no certificate at all"));
            assertTrue(serve.awaitLine(l -> l.contains("alpn=acme-tls/1")).contains("refused"));
            // The route is chosen before any connection to a backend: had it been forwarded, it would be queued.
            web.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, web::accept, "the web server got no connection");
        }
    }

    @Test
    void proxyProtocolV1AndV2CarryTheClientAddressForIpv4AndIpv6() throws Exception {
        for (String version : List.of("v1", "v2")) {
            int port4 = FreePorts.next();
            int port6 = FreePorts.next();
            try (Serve serve = Serve.start("--listen", "127.0.0.1:" + port4, "--listen", "[::1]:" + port6,
                    "--backend", "127.0.0.1:" + nginx.proxyProtocolPort, "--proxy-protocol", version)) {
                int lines = nginx.proxiedLog().size();
                curl(port4, "--http1.1").assertSuccess();
                curlV6(port6).assertSuccess();
                serve.awaitLine(l -> l.contains("[0:0:0:0:0:0:0:1]") || l.contains("/0:0:0:0:0:0:0:1"));

                List<String> log = nginx.proxiedLog().subList(lines, nginx.proxiedLog().size());
                assertEquals(2, log.size(), version + ": " + log);
                assertTrue(log.get(0).startsWith("127.0.0.1 127.0.0.1"), version + ": " + log);
                assertTrue(log.get(1).startsWith("::1 127.0.0.1"), version + ": " + log);
            }
        }
    }

    private static Command.Result curl(int port, String version) {
        return Command.run(List.of("curl", "-sS", "-k", version, "--resolve", Nginx.SITE + ":" + port + ":127.0.0.1",
                "-w", "\n%{http_version}", "https://" + Nginx.SITE + ":" + port + "/"), Map.of(), Duration.ofSeconds(30));
    }

    private static Command.Result curlV6(int port) {
        return Command.run(List.of("curl", "-sS", "-k", "--http1.1", "--resolve", Nginx.SITE + ":" + port + ":[::1]",
                "https://" + Nginx.SITE + ":" + port + "/"), Map.of(), Duration.ofSeconds(30));
    }
}
