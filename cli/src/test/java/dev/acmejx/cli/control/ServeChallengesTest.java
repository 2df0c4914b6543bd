package dev.acmejx.cli.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Identifier;

/**
 * What {@code issue} sends a serve: a plain socket server stands in for serve and records the request line, so
 * the test sees exactly what crossed the socket, not what serve chose to keep.
 */
class ServeChallengesTest {

    @TempDir
    Path dir;

    @Test
    void onlyTheIdentifierAndTheDigestCrossTheSocket() throws Exception {
        Path socket = dir.resolve("control.sock");
        byte[] digest = new byte[32];
        digest[0] = 7;
        CompletableFuture<String> received = new CompletableFuture<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread fakeServe = new Thread(() -> {
                try (SocketChannel client = server.accept()) {
                    received.complete(new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                            StandardCharsets.UTF_8)).readLine());
                    client.write(StandardCharsets.UTF_8.encode("{\"ok\":true}\n"));
                } catch (Exception e) {
                    received.completeExceptionally(e);
                }
            });
            fakeServe.start();
            try (ServeChallenges challenges = new ServeChallenges(ControlClient.connect(socket))) {
                challenges.publishTlsAlpn01(Identifier.dns("a.test"), digest);
            }
            fakeServe.join();
        }

        JsonNode request = ControlProtocol.JSON.readTree(received.get(10, TimeUnit.SECONDS));
        assertEquals(Set.of("op", "type", "identifier", "digest"), fieldNames(request));
        assertEquals("a.test", request.path("identifier").asText());
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(digest), request.path("digest").asText());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
