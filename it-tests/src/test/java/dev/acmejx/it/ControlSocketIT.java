package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control socket against other users and hostile or clumsy clients, while visitors' connections go through
 * {@code serve} to nginx the whole time and must all succeed.
 */
class ControlSocketIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOBODY = "65534";

    private static Nginx nginx;
    private Serve serve;
    private int port;

    @BeforeAll
    static void startNginx() throws IOException {
        nginx = Nginx.start();
    }

    @AfterAll
    static void stopNginx() {
        nginx.close();
    }

    @BeforeEach
    void startServe() {
        port = FreePorts.next();
        serve = Serve.start("--listen", "127.0.0.1:" + port, "--backend", "127.0.0.1:" + nginx.port);
    }

    @AfterEach
    void stopServe() {
        assertEquals(0, serve.stop(), "serve survived everything and stops cleanly");
        serve.close();
    }

    @Test
    void otherUsersAreRefusedByModeAndByCredentials() throws Exception {
        boolean root = ProcessHandle.current().info().user().orElse("").equals("root");
        assertTrue(root || System.getenv("CI") == null, "CI runs as root, so this test must not be skipped there");
        assumeTrue(root, "needs root to run a client as another user");
        Path socket = serve.control();
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(socket));
        String digest = "DEi0apzMOdMT2DAro57oIvn-wEzPiYcAYDh2Cvjra3I";

        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Command.Result byMode = asNobody(socket, "auth evil.test " + digest);
        assertTrue(byMode.out().isEmpty() && byMode.err().contains("Permission denied"),
                byMode.describe("the 0600 socket keeps nobody out"));

        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        Command.Result byCredentials = asNobody(socket, "auth evil.test " + digest);
        assertTrue(byCredentials.out().contains("refused"), byCredentials.describe("credentials checked too"));

        try (ControlSocketClient control = ControlSocketClient.open(socket)) {
            assertEquals(0, control.request("{\"op\":\"list\"}").path("challenges").size(), "nothing published");
        }
        assertTrue(serve.awaitLine(l -> l.contains("refused user nobody")).contains("control"));
    }

    @Test
    void garbageHugeLinesHalfLinesAndCrowdsNeverStopForwarding() throws Exception {
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread visitors = new Thread(() -> {
            while (loading.get()) {
                Command.Result curl = curl();
                if (curl.exit() == 0 && curl.out().contains(Nginx.BODY)) {
                    ok.incrementAndGet();
                } else {
                    failures.add(curl.describe("visitor"));
                }
            }
        }, "visitors");
        visitors.start();
        try {
            garbageGetsErrorAnswers();
            aTenMegabyteLineIsSkippedAndTheConnectionGoesOn();
            aClientLeavingMidLinePublishesNothing();
            fiveHundredClientsAtOnceAreAllAnswered();
        } finally {
            loading.set(false);
            visitors.join();
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(ok.get() > 0, "visitors got through");
    }

    private void garbageGetsErrorAnswers() throws IOException {
        byte[] binary = new byte[4096];
        new Random(7).nextBytes(binary);
        for (int i = 0; i < binary.length; i++) {
            binary[i] = binary[i] == '\n' ? 0 : binary[i];
        }
        try (ControlSocketClient control = ControlSocketClient.open(serve.control())) {
            for (String line : List.of("{\"op\":", "{\"op\":\"explode\"}", "[1,2,3]", "{\"op\":\"publish\"}",
                    "{\"op\":\"publish\",\"type\":\"tls-alpn-01\",\"identifier\":\"a.test\",\"digest\":\"short\"}",
                    "auth", "auth a..b c", "hello there")) {
                String answer = control.requestLine(line);
                assertTrue(answer.contains("\"ok\":false") || answer.startsWith("ERR "), line + " -> " + answer);
            }
            control.write(binary);
            String answer = control.requestLine("");
            assertTrue(answer.startsWith("ERR ") || answer.contains("\"ok\":false"), answer);
            assertTrue(control.request("{\"op\":\"status\"}").path("ok").asBoolean(), "still answering");
        }
    }

    private void aTenMegabyteLineIsSkippedAndTheConnectionGoesOn() throws IOException {
        try (ControlSocketClient control = ControlSocketClient.open(serve.control())) {
            byte[] chunk = "x".repeat(1 << 20).getBytes();
            for (int i = 0; i < 10; i++) {
                control.write(chunk);
            }
            String answer = control.requestLine("");
            assertTrue(answer.contains("longer than"), answer);
            assertTrue(control.request("{\"op\":\"list\"}").path("ok").asBoolean(), "the same connection goes on");
        }
    }

    /** A whole, valid request without its newline is no request: the client may have died before the end. */
    private void aClientLeavingMidLinePublishesNothing() throws IOException {
        String request = "{\"op\":\"publish\",\"type\":\"tls-alpn-01\",\"identifier\":\"half.test\","
                + "\"digest\":\"DEi0apzMOdMT2DAro57oIvn-wEzPiYcAYDh2Cvjra3I\"}";
        try (ControlSocketClient control = ControlSocketClient.open(serve.control())) {
            control.write(request.getBytes(StandardCharsets.UTF_8));
            control.shutdownOutput();
            assertEquals(null, control.readLineOrEnd(), "serve ends the connection without answering a half line");
        }
        try (ControlSocketClient control = ControlSocketClient.open(serve.control())) {
            assertEquals(0, control.request("{\"op\":\"list\"}").path("challenges").size(), "nothing published");
            assertTrue(control.request(request).path("ok").asBoolean(), "the same line with its newline publishes");
            assertTrue(control.request("{\"op\":\"withdraw\",\"identifier\":\"half.test\"}").path("ok")
                    .asBoolean());
        }
    }

    private void fiveHundredClientsAtOnceAreAllAnswered() throws IOException {
        List<ControlSocketClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                clients.add(ControlSocketClient.open(serve.control()));
            }
            for (ControlSocketClient client : clients) {
                client.write("{\"op\":\"status\"}\n".getBytes());
            }
            for (ControlSocketClient client : clients) {
                JsonNode status = JSON.readTree(client.readLine());
                assertEquals(serve.pid(), status.path("pid").asLong(), status.toString());
            }
        } finally {
            for (ControlSocketClient client : clients) {
                client.close();
            }
        }
    }

    private Command.Result curl() {
        return Command.run(List.of("curl", "-sS", "-k", "--http1.1", "--resolve",
                Nginx.SITE + ":" + port + ":127.0.0.1", "https://" + Nginx.SITE + ":" + port + "/"), Map.of(),
                Duration.ofSeconds(30));
    }

    /** uacme's ualpn client run as nobody: whatever serve answered goes to stdout. */
    private static Command.Result asNobody(Path socket, String line) {
        return Command.run(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "sh", "-c",
                "echo \"$1\" | ualpn -s \"$0\"", socket.toString(), line), Map.of(), Duration.ofSeconds(30));
    }
}
