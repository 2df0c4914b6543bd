package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running serve: metrics, limits, timeouts, a config file, and the zero-downtime upgrade. */
class ServeOperationsIT {

    @TempDir
    Path dir;

    @Test
    void metricsCountConnectionsByRouteAndOutcome() throws Exception {
        int metricsPort = FreePorts.next();
        byte[] hello = Hellos.clientHello("metrics.test");
        byte[] reply = "from the backend".getBytes();
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        try (TcpBackend backend = TcpBackend.serveOnce(socket -> {
                    byte[] all = socket.getInputStream().readAllBytes();
                    socket.getOutputStream().write(reply);
                    return all;
                }, received);
                Serve serve = Serve.start("--listen", "127.0.0.1:" + FreePorts.next(), "--backend",
                        "127.0.0.1:" + backend.port(), "--metrics", "127.0.0.1:" + metricsPort);
                Socket notTls = connect(serve);
                Socket forwarded = connect(serve)) {
            notTls.getOutputStream().write("not tls".getBytes());
            assertEquals(-1, notTls.getInputStream().read());
            serve.awaitLine(l -> l.contains("not_tls"));
            forwarded.getOutputStream().write(hello);
            forwarded.shutdownOutput();
            assertArrayEquals(reply, forwarded.getInputStream().readAllBytes());
            assertArrayEquals(hello, received.get(30, TimeUnit.SECONDS));
            serve.awaitLine(l -> l.contains("sni=metrics.test") && l.contains("completed"));

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            String route = "route=\"127.0.0.1:" + backend.port() + "\"";
            assertTrue(metrics.contains("acmejx_connections_total{route=\"-\",outcome=\"not_tls\"} 1"), metrics);
            assertTrue(metrics.contains("acmejx_connections_total{" + route + ",outcome=\"completed\"} 1"), metrics);
            assertTrue(metrics.contains("acmejx_bytes_up_total{" + route + "} " + hello.length), metrics);
            assertTrue(metrics.contains("acmejx_bytes_down_total{" + route + "} " + reply.length), metrics);
            assertTrue(metrics.contains("acmejx_connections_active 0"), metrics);
        }
    }

    @Test
    void connectionsBeyondMaxConnectionsAreClosedAtAccept() throws Exception {
        try (Serve serve = Serve.start("--listen", "127.0.0.1:" + FreePorts.next(), "--backend",
                "127.0.0.1:" + FreePorts.next(), "--max-connections", "2", "--inspect-timeout", "1h");
                Socket first = connect(serve);
                Socket second = connect(serve);
                Socket third = connect(serve)) {
            assertTrue(serve.awaitLine(l -> l.contains("over_limit")).contains("--max-connections 2"));
            // Each event loop accepts on a listener of its own, so which of three quick connections comes third
            // is the kernel's choice: exactly one is closed, the other two stay open, waiting for their hellos.
            int closed = 0;
            for (Socket client : new Socket[] {first, second, third}) {
                client.setSoTimeout(300);
                try {
                    assertEquals(-1, client.getInputStream().read(), "a refused connection gets no bytes");
                    closed++;
                } catch (SocketTimeoutException stillOpen) {
                    // admitted: it waits for its hello
                }
            }
            assertEquals(1, closed, "connections closed at accept");
        }
    }

    @Test
    void silentConnectionIsClosedAtTheIdleTimeout() throws Exception {
        byte[] hello = Hellos.clientHello("idle.test");
        CompletableFuture<Integer> backendSaw = new CompletableFuture<>();
        try (TcpBackend backend = TcpBackend.serveOnce(socket -> socket.getInputStream().readAllBytes().length,
                backendSaw);
                Serve serve = Serve.start("--listen", "127.0.0.1:" + FreePorts.next(), "--backend",
                        "127.0.0.1:" + backend.port(), "--idle-timeout", "500ms");
                Socket client = connect(serve)) {
            long start = System.nanoTime();
            client.getOutputStream().write(hello);

            assertEquals(-1, client.getInputStream().read(), "closed by serve, with both sides still open");
            assertTrue(System.nanoTime() - start >= 500_000_000L, "not before the idle timeout");
            assertTrue(serve.awaitLine(l -> l.contains("sni=idle.test")).contains("idle_timeout"));
            assertEquals(hello.length, backendSaw.get(10, TimeUnit.SECONDS), "forwarded, then closed by serve");
        }
    }

    @Test
    void configFileSetsDefaultsAndFlagsOverrideThem() throws Exception {
        int port = FreePorts.next();
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        try (TcpBackend backend = TcpBackend.serveOnce(socket -> socket.getInputStream().readAllBytes(), received)) {
            Path config = dir.resolve("serve.yaml");
            Files.writeString(config, """
                    listen:
                      - 127.0.0.1:%d
                    backend: 127.0.0.1:%d
                    inspect-timeout: 2s
                    route:
                      - alpn=h2,sni=api.config.test -> 127.0.0.1:%d
                    """.formatted(port, FreePorts.next(), FreePorts.next()));
            byte[] hello = Hellos.clientHello("www.config.test", "h2");
            try (Serve serve = Serve.start("--config", config.toString(), "--backend", "127.0.0.1:" + backend.port());
                    Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                client.getOutputStream().write(hello);
                client.shutdownOutput();

                assertArrayEquals(hello, received.get(30, TimeUnit.SECONDS));
                assertEquals(port, serve.port());
            }
        }
    }

    @Test
    void unknownConfigKeyIsAnErrorThatListsTheKnownOnes() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "backnd: 127.0.0.1:8443\n");
        Command.Result result = Acmejx.run(List.of("serve", "--config", config.toString()));

        assertEquals(1, result.exit(), result.describe("exit"));
        assertTrue(result.err().contains("unknown setting 'backnd'") && result.err().contains("backend"),
                result.describe("message"));
    }

    @Test
    void badServeValuesAreErrorsThatSayWhatToUse() {
        Path control = dir.resolve("unused.sock");
        Map<List<String>, String> cases = Map.of(
                List.of("--transport", "kqueue"), "unknown transport 'kqueue': use epoll or nio",
                List.of("--event-loops", "0"), "--event-loops must be at least 1, not 0",
                List.of("--challenge-ttl", "0s"), "--challenge-ttl must be above zero");
        cases.forEach((option, message) -> {
            List<String> args = new ArrayList<>(List.of("serve", "--listen",
                    "127.0.0.1:" + FreePorts.next(), "--control", control.toString()));
            args.addAll(option);
            Command.Result result = Acmejx.run(args);

            assertEquals(1, result.exit(), result.describe("exit for " + option));
            assertTrue(result.err().contains("acmejx: error: ") && result.err().contains(message),
                    result.describe("message for " + option));
        });
    }

    @Test
    void theControlSocketAnswersAsSoonAsThePortAccepts() throws Exception {
        int port = FreePorts.next();
        try (Serve serve = Serve.launch("--listen", "127.0.0.1:" + port, "--backend", "127.0.0.1:" + FreePorts.next());
                Socket first = connectWithin(port, Duration.ofSeconds(30))) {
            assertTrue(Files.exists(serve.control()), "no control socket yet while the port accepts");
            try (ControlSocketClient control = ControlSocketClient.open(serve.control())) {
                assertEquals(serve.pid(), control.request("{\"op\":\"status\"}").path("pid").asLong());
            }
        }
    }

    @Test
    void aBadMetricsAddressIsAUsageErrorWithoutAStackTrace() {
        Command.Result result = Acmejx.run(List.of("serve", "--metrics", "bogus", "--control",
                dir.resolve("unused.sock").toString()));

        assertEquals(2, result.exit(), result.describe("a usage error's exit"));
        assertTrue(result.err().contains("Invalid value for option '--metrics'") && result.err().contains("'bogus'")
                && result.err().contains("HOST:PORT"), result.describe("the option, the value, the form"));
        assertFalse(result.err().contains("internal error") || result.err().contains("\tat "),
                result.describe("no stack trace"));
    }

    @Test
    void defaultPairOfWildcardListenersWorksWithoutReusePort() throws Exception {
        int port = FreePorts.next();
        try (Serve serve = Serve.start("--listen", "[::]:" + port, "--listen", "0.0.0.0:" + port, "--no-reuseport",
                "--backend", "127.0.0.1:" + FreePorts.next());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertTrue(serve.awaitLine(l -> l.contains("0.0.0.0:" + port)).contains("dual-stack"));
            client.getOutputStream().write("not tls".getBytes());
            assertEquals(-1, client.getInputStream().read());
            serve.awaitLine(l -> l.contains("not_tls"));
        }
    }

    @Test
    void newServeStartsBesideTheOldOneWhichDrainsItsOpenConnections() throws Exception {
        int port = FreePorts.next();
        int metricsPort = FreePorts.next();
        CompletableFuture<Void> echoed = new CompletableFuture<>();
        try (TcpBackend backend = TcpBackend.serveOnce(ServeOperationsIT::echo, echoed);
                Serve old = Serve.start("--listen", "127.0.0.1:" + port, "--backend", "127.0.0.1:" + backend.port(),
                        "--grace", "60s", "--metrics", "127.0.0.1:" + metricsPort);
                Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            client.setSoTimeout(30_000);
            byte[] hello = Hellos.clientHello("upgrade.test");
            client.getOutputStream().write(hello);
            assertArrayEquals(hello, new DataInputStream(client.getInputStream()).readNBytes(hello.length));

            try (Serve upgraded = Serve.start("--listen", "127.0.0.1:" + port, "--backend", "127.0.0.1:1",
                    "--metrics", "127.0.0.1:" + metricsPort)) {
                old.stopAsync();
                old.awaitLine(l -> l.contains("stopping: no new connections, 1 open"));

                client.getOutputStream().write("still here".getBytes());
                assertEquals("still here", new String(client.getInputStream().readNBytes(10)));
                client.shutdownOutput();
                assertEquals(-1, client.getInputStream().read());
                assertEquals(0, old.exitCode(), "the old serve exits cleanly once its connection is done");
                try (Socket next = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    next.getOutputStream().write(Hellos.clientHello("after.test"));
                    upgraded.awaitLine(l -> l.contains("sni=after.test"));
                }
                upgraded.awaitLine(l -> l.contains("metrics on http://127.0.0.1:" + metricsPort));
            }
        }
    }

    private static Void echo(Socket socket) throws Exception {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            socket.getOutputStream().write(buffer, 0, n);
        }
        return null;
    }

    private static Socket connect(Serve serve) throws Exception {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), serve.port());
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** The first connection {@code port} accepts, tried again at once after every refusal until the deadline. */
    private static Socket connectWithin(int port, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                return new Socket(InetAddress.getLoopbackAddress(), port);
            } catch (ConnectException refused) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("nothing accepted on port " + port + " within " + limit, refused);
                }
            }
        }
    }
}
