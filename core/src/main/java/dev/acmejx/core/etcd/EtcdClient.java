package dev.acmejx.core.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;

/**
 * etcd v3 through the JSON gateway every member serves on its client URL ({@code /v3/…}): the JDK's HttpClient
 * and Jackson, so acmejx needs neither gRPC nor a second Netty. A request goes to the member that answered last and
 * moves on to the next when that one cannot be reached, and tries them all again for a few seconds while none can
 * (an election), so a cluster that lost a member changes nothing.
 */
public final class EtcdClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Long enough for the survivors to elect a leader on a loaded machine: several of etcd's default election
     * timeouts (1 s), since a busy host can split a vote or two. A round can take up to {@link #REQUEST_TIMEOUT}
     * per member that holds a request without a leader, so there is room for a second round after a slow first.
     */
    private static final Duration FAILOVER = Duration.ofSeconds(10);
    private static final long FIRST_PAUSE_MILLIS = 100;
    private static final String AUTHORIZATION = "Authorization";
    /**
     * Without it, a watch on a member that lost its quorum stays open and silent; with it, that member ends the
     * watch, and the watch resumes on a member that has a leader.
     */
    private static final String REQUIRE_LEADER = "Grpc-Metadata-hasleader";

    private final EtcdSettings settings;
    private final HttpClient http;
    private volatile int preferred;
    private volatile Optional<String> token = Optional.empty();

    private EtcdClient(EtcdSettings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
    }

    /**
     * A client for these members. Nothing is sent until the first request, which logs in first when a user is set,
     * so a serve starts whether or not etcd is up.
     */
    public static EtcdClient connect(EtcdSettings settings) throws EtcdException {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2));
        if (settings.caCert().isPresent() || settings.clientCert().isPresent()) {
            builder.sslContext(EtcdTls.context(settings));
        }
        return new EtcdClient(settings, builder.build());
    }

    public EtcdSettings settings() {
        return settings;
    }

    public Optional<KeyValue> get(String key) throws EtcdException {
        ObjectNode body = JSON.createObjectNode().put("key", EtcdJson.encode(key));
        return EtcdJson.keyValues(call("/v3/kv/range", body)).stream().findFirst();
    }

    /** Every key under {@code prefix}, and the revision they were read at. */
    public Snapshot prefix(String prefix) throws EtcdException {
        ObjectNode body = JSON.createObjectNode().put("key", EtcdJson.encode(prefix))
                .put("range_end", EtcdJson.rangeEnd(prefix));
        JsonNode response = call("/v3/kv/range", body);
        return new Snapshot(EtcdJson.keyValues(response), EtcdJson.number(response.path("header"), "revision"));
    }

    /** What a range read returned, at one revision. */
    public record Snapshot(List<KeyValue> kvs, long revision) {
    }

    /** @return the revision of the write */
    public long put(String key, byte[] value, long lease) throws EtcdException {
        ObjectNode body = JSON.createObjectNode().put("key", EtcdJson.encode(key)).put("value", EtcdJson.encode(value));
        if (lease != 0) {
            body.put("lease", Long.toString(lease));
        }
        return EtcdJson.number(call("/v3/kv/put", body).path("header"), "revision");
    }

    public void delete(String key) throws EtcdException {
        call("/v3/kv/deleterange", JSON.createObjectNode().put("key", EtcdJson.encode(key)));
    }

    public void deletePrefix(String prefix) throws EtcdException {
        call("/v3/kv/deleterange", JSON.createObjectNode().put("key", EtcdJson.encode(prefix))
                .put("range_end", EtcdJson.rangeEnd(prefix)));
    }

    public Txn.Result commit(Txn txn) throws EtcdException {
        JsonNode response = call("/v3/kv/txn", txn.body());
        List<List<KeyValue>> ranges = new ArrayList<>();
        response.path("responses").forEach(r -> {
            if (r.has("response_range")) {
                ranges.add(EtcdJson.keyValues(r.path("response_range")));
            }
        });
        return new Txn.Result(response.path("succeeded").asBoolean(false),
                EtcdJson.number(response.path("header"), "revision"), ranges);
    }

    /** A new lease that expires {@code ttl} after its last keep-alive. */
    public long grant(Duration ttl) throws EtcdException {
        JsonNode response = call("/v3/lease/grant", JSON.createObjectNode().put("TTL", Long.toString(ttl.toSeconds())));
        return EtcdJson.number(response, "ID");
    }

    /** @return false when the lease is gone (expired or revoked): its keys are gone with it */
    public boolean keepAlive(long lease) throws EtcdException {
        JsonNode response = call("/v3/lease/keepalive", JSON.createObjectNode().put("ID", Long.toString(lease)));
        return EtcdJson.number(response.path("result"), "TTL") > 0;
    }

    /** Ends a lease now, and with it every key put under it. */
    public void revoke(long lease) throws EtcdException {
        call("/v3/lease/revoke", JSON.createObjectNode().put("ID", Long.toString(lease)));
    }

    /**
     * Opens a watch stream on every key under {@code prefix} from {@code startRevision} on (0: from now); the caller
     * reads its lines (one JSON object each) and closes it.
     */
    Stream<String> watchStream(String prefix, long startRevision) throws EtcdException {
        if (settings.user().isPresent() && token.isEmpty()) {
            authenticate();
        }
        ObjectNode body = JSON.createObjectNode();
        ObjectNode create = body.putObject("create_request").put("key", EtcdJson.encode(prefix))
                .put("range_end", EtcdJson.rangeEnd(prefix));
        if (startRevision != 0) {
            create.put("start_revision", Long.toString(startRevision));
        }
        IOException last = null;
        for (int i = 0; i < settings.endpoints().size(); i++) {
            int index = (preferred + i) % settings.endpoints().size();
            try {
                HttpRequest request = HttpRequest.newBuilder(request(index, "/v3/watch", body, null), (n, v) -> true)
                        .header(REQUIRE_LEADER, "true").build();
                HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() == 200) {
                    preferred = index;
                    return response.body();
                }
                response.body().close();
                last = new IOException("HTTP " + response.statusCode());
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EtcdException("interrupted while watching etcd", e);
            }
        }
        throw unreachable(last);
    }

    private JsonNode call(String path, ObjectNode body) throws EtcdException {
        if (settings.user().isPresent() && token.isEmpty()) {
            authenticate();
        }
        JsonNode response = send(path, body);
        if (response.has("error") && token.isPresent() && response.path("error").asText().contains("token")) {
            authenticate();
            response = send(path, body);
        }
        if (response.has("error")) {
            throw new EtcdException("etcd at " + settings.describe() + " refused " + path + ": "
                    + response.path("message").asText(response.path("error").asText()));
        }
        return response;
    }

    /**
     * Every member once, from the one that answered last; then again, after a short pause, while every member
     * refused or answered 5xx and {@link #FAILOVER} has not passed. A member killed while it led leaves the others
     * answering "no leader" until they have elected one, and a single round in that window would fail the command.
     */
    private JsonNode send(String path, ObjectNode body) throws EtcdException {
        long deadline = System.nanoTime() + FAILOVER.toNanos();
        long pauseMillis = FIRST_PAUSE_MILLIS;
        while (true) {
            Round round = sendToEach(path, body);
            if (round.response() != null) {
                return round.response();
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis) > deadline) {
                throw unreachable(round.last());
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EtcdException("interrupted while waiting for etcd at " + settings.describe(), e);
            }
            pauseMillis *= 2;
        }
    }

    /** One try per member: the first answer under 500, else the last failure. */
    private record Round(JsonNode response, IOException last) {
    }

    private Round sendToEach(String path, ObjectNode body) throws EtcdException {
        IOException last = null;
        for (int i = 0; i < settings.endpoints().size(); i++) {
            int index = (preferred + i) % settings.endpoints().size();
            try {
                HttpResponse<byte[]> response = http.send(request(index, path, body, REQUEST_TIMEOUT),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() >= 500) {
                    last = new IOException("HTTP " + response.statusCode() + " from " + settings.endpoints()
                            .get(index) + ": " + new String(response.body(), StandardCharsets.UTF_8).strip());
                    continue;
                }
                preferred = index;
                return new Round(JSON.readTree(response.body()), null);
            } catch (IOException e) {
                last = moreTelling(last, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EtcdException("interrupted while talking to etcd at " + settings.describe(), e);
            }
        }
        return new Round(null, last);
    }

    /**
     * A member that answered or timed out says more about an outage than one that refused the connection (a stopped
     * member, while the others may be electing a leader): its failure is the one reported.
     */
    private static IOException moreTelling(IOException soFar, IOException next) {
        return soFar == null || soFar instanceof ConnectException ? next : soFar;
    }

    private HttpRequest request(int endpoint, String path, ObjectNode body, Duration timeout) {
        URI base = settings.endpoints().get(endpoint);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("Content-Type", "application/json");
        if (timeout != null) {
            request.timeout(timeout);
        }
        token.ifPresent(t -> request.header(AUTHORIZATION, t));
        return request.build();
    }

    private EtcdException unreachable(IOException last) {
        String why = last == null ? "no endpoint" : last instanceof ConnectException ? "connection refused"
                : last instanceof HttpTimeoutException ? "no answer within "
                        + REQUEST_TIMEOUT.toSeconds() + " s"
                : String.valueOf(last.getMessage() != null ? last.getMessage() : last.getClass().getSimpleName());
        if (last instanceof SSLException) {
            // etcd was reached: telling the user to check that it runs would send them the wrong way.
            return new EtcdException("etcd at " + settings.describe() + ": the TLS handshake failed (" + why
                    + "); check --etcd-ca-cert (the CA that signed the members' certificates) and, for a cluster "
                    + "that asks for client certificates, --etcd-cert and --etcd-key", last);
        }
        return new EtcdException("etcd is unreachable at " + settings.describe() + " (" + why + "); check that the "
                + "cluster runs and that --etcd names its client URLs", last);
    }

    private void authenticate() throws EtcdException {
        String password;
        try {
            password = withoutTrailingNewline(Files.readString(settings.passwordFile().orElseThrow(() ->
                    new EtcdException("--etcd-user needs --etcd-password-file: the password is read from a file, "
                            + "never the command line")), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new EtcdException("cannot read the etcd password file " + settings.passwordFile().get() + ": "
                    + e.getMessage(), e);
        }
        token = Optional.empty();
        JsonNode response = send("/v3/auth/authenticate", JSON.createObjectNode()
                .put("name", settings.user().get()).put("password", password));
        if (!response.hasNonNull("token")) {
            throw new EtcdException("etcd at " + settings.describe() + " refused user " + settings.user().get() + ": "
                    + response.path("message").asText("no token") + " (check --etcd-user and --etcd-password-file)");
        }
        token = Optional.of(response.get("token").asText());
    }

    /**
     * The password file's text without the one newline (LF or CRLF) that {@code echo} or an editor puts at its end,
     * as {@code --etcd-password-file} promises; nothing else is dropped, since a password may start or end with a
     * space.
     */
    private static String withoutTrailingNewline(String text) {
        return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
