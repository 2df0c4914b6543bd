package dev.acmejx.core.etcd;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A cluster with one member stopped and the other answering but without a leader: the client keeps trying for its
 * failover window, and when it gives up it reports the member that answered, not the one that refused, whichever
 * it asked last. (A stand-in HTTP server plays the leaderless member: a real etcd cannot be held in that state.)
 */
class EtcdClientFailoverTest {

    @Test
    void aMemberWithoutALeaderIsReportedRatherThanAStoppedOne() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        HttpServer leaderless = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        leaderless.createContext("/", exchange -> {
            byte[] body = "{\"error\":\"etcdserver: no leader\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        leaderless.start();
        int stoppedPort;
        try (ServerSocket closed = new ServerSocket(0, 1, loopback)) {
            stoppedPort = closed.getLocalPort();
        }
        try {
            EtcdSettings settings = new EtcdSettings(List.of(
                    URI.create("http://127.0.0.1:" + leaderless.getAddress().getPort()),
                    URI.create("http://127.0.0.1:" + stoppedPort)),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
            EtcdClient client = EtcdClient.connect(settings);

            EtcdException e = assertThrows(EtcdException.class, () -> client.get("acmejx/key"));
            assertTrue(e.getMessage().contains("etcd is unreachable") && e.getMessage().contains("HTTP 503")
                    && e.getMessage().contains("no leader"), e.getMessage());
        } finally {
            leaderless.stop(0);
        }
    }
}
