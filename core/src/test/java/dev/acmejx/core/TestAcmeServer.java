package dev.acmejx.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The part of an ACME server that Pebble 2.4 lacks, on a real loopback socket: a directory with {@code
 * meta.profiles} and {@code renewalInfo}, nonces, a {@code renewalInfo} resource with a Retry-After, and a
 * {@code newOrder} that keeps what it was sent and then refuses. Enough to see, byte for byte, the JSON acmejx
 * sends a CA that offers profiles and ARI, and what it makes of the answers.
 */
final class TestAcmeServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> profiles;
    private final AtomicLong nonces = new AtomicLong();
    /** The decoded JWS payloads of every newOrder request, in order. */
    final List<JsonNode> orders = new CopyOnWriteArrayList<>();
    /** The certificate ids of every renewalInfo request, in order. */
    final List<String> renewalInfoRequests = new CopyOnWriteArrayList<>();
    volatile Instant windowStart = Instant.parse("2030-01-01T00:00:00Z");
    volatile Instant windowEnd = Instant.parse("2030-01-03T00:00:00Z");
    volatile Optional<Long> retryAfterSeconds = Optional.of(3600L);

    /** @param profiles name to description, as {@code meta.profiles} lists them; empty for a CA without */
    TestAcmeServer(Map<String, String> profiles) throws IOException {
        this.profiles = profiles;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/dir", this::directory);
        server.createContext("/nonce", exchange -> send(exchange, 204, null));
        server.createContext("/order", this::order);
        server.createContext("/renewal-info/", this::renewalInfo);
        server.start();
    }

    URI directory() {
        return URI.create(base() + "/dir");
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void directory(HttpExchange exchange) throws IOException {
        ObjectNode dir = JSON.createObjectNode().put("newNonce", base() + "/nonce")
                .put("newAccount", base() + "/account").put("newOrder", base() + "/order")
                .put("renewalInfo", base() + "/renewal-info/");
        ObjectNode meta = dir.putObject("meta");
        if (!profiles.isEmpty()) {
            ObjectNode offered = meta.putObject("profiles");
            profiles.forEach(offered::put);
        }
        send(exchange, 200, dir);
    }

    private void order(HttpExchange exchange) throws IOException {
        JsonNode jws = JSON.readTree(exchange.getRequestBody());
        orders.add(JSON.readTree(Base64.getUrlDecoder().decode(jws.path("payload").asText())));
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        send(exchange, 403, JSON.createObjectNode().put("type", "urn:ietf:params:acme:error:unauthorized")
                .put("detail", "this test server orders nothing"));
    }

    private void renewalInfo(HttpExchange exchange) throws IOException {
        renewalInfoRequests.add(exchange.getRequestURI().getPath().substring("/renewal-info/".length()));
        retryAfterSeconds.ifPresent(s -> exchange.getResponseHeaders().set("Retry-After", String.valueOf(s)));
        ObjectNode info = JSON.createObjectNode();
        info.putObject("suggestedWindow").put("start", windowStart.toString()).put("end", windowEnd.toString());
        info.put("explanationURL", base() + "/why");
        send(exchange, 200, info);
    }

    private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        exchange.getResponseHeaders().set("Replay-Nonce", "nonce" + nonces.incrementAndGet());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().putIfAbsent("Content-Type", List.of("application/json"));
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
