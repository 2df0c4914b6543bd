package dev.acmejx.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The few calls of etcd 3.4's JSON gateway ({@code /v3/...}, grpc-gateway over the gRPC API) that the tests make
 * themselves, with the JDK's HttpClient: independent of any etcd client acmejx has, so a test checks that client
 * against etcd, not against itself. Keys and values travel base64-encoded; an empty answer leaves out
 * {@code kvs} altogether, as proto3 JSON leaves out every default.
 */
final class EtcdGateway {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The gateway speaks HTTP/1.1 on plain http; asking for it saves the h2c upgrade offer. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    /** Longer than etcd's own request timeout (5 s plus two election timeouts), so etcd's error arrives first. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** For what a member answers at once or not at all: its health, its metrics. */
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
    /** Key and range end {@code "\0"}: every key. */
    private static final byte[] ALL = {0};

    private EtcdGateway() {
    }

    /**
     * Whether the member answers {@code /health} with {@code {"health":"true"}}: in 3.4 that needs a leader and a
     * read through raft, so it is false on a member cut off from the quorum and on one that is still catching up.
     */
    static boolean healthy(URI member) throws InterruptedException {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(member.resolve("/health"))
                    .timeout(HEALTH_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && "true".equals(JSON.readTree(response.body()).path("health")
                    .asText());
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * How many peers {@code member} counts as connected, from {@code etcd_network_active_peers} on its
     * {@code /metrics}; -1 when it does not answer.
     */
    static int activePeers(URI member) throws InterruptedException {
        try {
            HttpResponse<Stream<String>> response = HTTP.send(HttpRequest.newBuilder(member.resolve("/metrics"))
                    .timeout(HEALTH_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                return response.statusCode() != 200 ? -1 : (int) lines.filter(line -> line.startsWith(
                        "etcd_network_active_peers{")).mapToDouble(line -> Double.parseDouble(
                        line.substring(line.lastIndexOf(' ') + 1))).sum();
            }
        } catch (IOException | UncheckedIOException notNow) {
            return -1;
        }
    }

    /** Puts {@code key}, through {@code member}; returns the revision it made. */
    static long put(URI member, String key, byte[] value) throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("key", base64(key.getBytes(StandardCharsets.UTF_8)))
                .put("value", base64(value));
        return call(member, "/v3/kv/put", request).path("header").path("revision").asLong();
    }

    /** Deletes {@code key} through {@code member}; returns how many keys went (0 or 1). */
    static long delete(URI member, String key) throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("key", base64(key.getBytes(StandardCharsets.UTF_8)));
        return call(member, "/v3/kv/deleterange", request).path("deleted").asLong();
    }

    /** The value of {@code key}, read through {@code member} (linearizable, so through the quorum). */
    static Optional<byte[]> get(URI member, String key) throws IOException, InterruptedException {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return Optional.ofNullable(range(member, bytes, null).get(key));
    }

    /** Every key and its value, in etcd's (byte) order, read through {@code member}. */
    static Map<String, byte[]> all(URI member) throws IOException, InterruptedException {
        return range(member, ALL, ALL);
    }

    private static Map<String, byte[]> range(URI member, byte[] key, byte[] rangeEnd)
            throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("key", base64(key));
        if (rangeEnd != null) {
            request.put("range_end", base64(rangeEnd));
        }
        Map<String, byte[]> found = new LinkedHashMap<>();
        for (JsonNode kv : call(member, "/v3/kv/range", request).path("kvs")) {
            found.put(new String(Base64.getDecoder().decode(kv.path("key").asText()), StandardCharsets.UTF_8),
                    Base64.getDecoder().decode(kv.path("value").asText()));
        }
        return found;
    }

    private static JsonNode call(URI member, String path, ObjectNode request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(member.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("etcd at " + member + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
