package dev.acmejx.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Pebble with pebble-challtestsrv as its DNS, on free ports, started by the repository's own
 * {@code pebble-config/pebble.sh}; {@link #close} stops exactly the two PIDs that start recorded.
 */
final class Pebble implements AutoCloseable {

    final Path dir;
    final int tlsPort;
    /** Where Pebble validates http-01: certbot's standalone authenticator answers there. */
    final int httpPort;
    final int challtestsrvPort;
    /** Pebble's management API (https, same certificate as the ACME API): revocation status, roots. */
    final URI management;
    final URI directory;
    final Path caCert;
    final Path issuerRoot;
    private final List<Long> pids;

    private Pebble(Path dir, int tlsPort, int httpPort, int challtestsrvPort, int acmePort, int mgmtPort)
            throws IOException {
        this.dir = dir;
        this.management = URI.create("https://localhost:" + mgmtPort);
        this.tlsPort = tlsPort;
        this.httpPort = httpPort;
        this.challtestsrvPort = challtestsrvPort;
        this.directory = URI.create("https://localhost:" + acmePort + "/dir");
        this.caCert = dir.resolve("ca.pem");
        this.issuerRoot = dir.resolve("issuer-root.pem");
        this.pids = List.of(Long.parseLong(Files.readString(dir.resolve("pebble.pid")).strip()),
                Long.parseLong(Files.readString(dir.resolve("challtestsrv.pid")).strip()));
    }

    static Pebble start() throws IOException {
        return start(Map.of());
    }

    /** A Pebble that registers accounts only with External Account Binding for {@code kid} and {@code hmacKey}. */
    static Pebble startRequiringEab(String kid, String hmacKey) throws IOException {
        return start(Map.of("PEBBLE_EAB_KID", kid, "PEBBLE_EAB_HMAC_KEY", hmacKey));
    }

    /**
     * A Pebble that never rejects a nonce: certbot retries a {@code badNonce} only once, so Pebble's default 5%
     * rejections fail one certbot run in a few dozen, a flake that would test Pebble, not certbot or acmejx.
     */
    static Pebble startForCertbot() throws IOException {
        return start(Map.of("PEBBLE_WFE_NONCEREJECT", "0"));
    }

    private static Pebble start(Map<String, String> settings) throws IOException {
        Path dir = Files.createTempDirectory("acmejx-pebble");
        Map<String, String> env = new HashMap<>(settings);
        int acmePort = FreePorts.next();
        int tlsPort = FreePorts.next();
        int challtestsrvPort = FreePorts.next();
        env.put("PEBBLE_PORT", String.valueOf(acmePort));
        int mgmtPort = FreePorts.next();
        env.put("PEBBLE_MGMT_PORT", String.valueOf(mgmtPort));
        env.put("PEBBLE_TLS_PORT", String.valueOf(tlsPort));
        int httpPort = FreePorts.next();
        env.put("PEBBLE_HTTP_PORT", String.valueOf(httpPort));
        env.put("DNS_PORT", String.valueOf(FreePorts.next()));
        env.put("CHALLTESTSRV_PORT", String.valueOf(challtestsrvPort));
        try {
            Command.run(List.of(Paths.repo().resolve("pebble-config/pebble.sh").toString(), "start", dir.toString()),
                    env, Duration.ofSeconds(60)).assertSuccess();
            return new Pebble(dir, tlsPort, httpPort, challtestsrvPort, acmePort, mgmtPort);
        } catch (IOException | RuntimeException | AssertionError e) {
            // pebble.sh stops what it started when its start fails; what it wrote goes too.
            TempDirs.delete(dir);
            throw e;
        }
    }

    /** Makes challtestsrv answer {@code host} with {@code address} instead of 127.0.0.1. */
    void resolve(String host, String address) throws IOException, InterruptedException {
        challtestsrv("add-a", "{\"host\":\"" + host + "\",\"addresses\":[\"" + address + "\"]}");
    }

    /** Back to the default answer for {@code host}. */
    void forget(String host) throws IOException, InterruptedException {
        challtestsrv("clear-a", "{\"host\":\"" + host + "\"}");
    }

    private void challtestsrv(String action, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + challtestsrvPort + "/" + action))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("challtestsrv " + action + " answered " + response.statusCode());
        }
    }

    /** Stops the two processes, then removes their directory (kept when one survived, with its logs). */
    @Override
    public void close() {
        Command.run(Paths.repo().resolve("pebble-config/pebble.sh").toString(), "stop", dir.toString())
                .assertSuccess();
        for (long pid : pids) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new AssertionError("pebble.sh stop left PID " + pid + " running; its logs are in " + dir);
            }
        }
        TempDirs.delete(dir);
    }
}
