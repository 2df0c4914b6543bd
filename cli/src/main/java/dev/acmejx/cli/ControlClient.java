package dev.acmejx.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmejx.core.AcmejxException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A connection to a running {@code serve}'s control socket: one JSON request line, one answer line. Used by
 * {@code issue} (through {@link ServeChallenges}) and by {@code acmejx challenge}.
 */
final class ControlClient implements AutoCloseable {

    /** A local serve answers in milliseconds; one that does not within this is stuck, and waiting helps nobody. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final Path path;
    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;

    private ControlClient(Path path, SocketChannel channel) {
        this.path = path;
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    /**
     * Connects when a serve listens at {@code path}; empty when there is no socket there or nobody accepts on it
     * (a stale file left by a serve that was killed).
     */
    static Optional<ControlClient> ifRunning(Path path) {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(connect(path));
        } catch (AcmejxException e) {
            return Optional.empty();
        }
    }

    static ControlClient connect(Path path) throws AcmejxException {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(path));
            return new ControlClient(path, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new AcmejxException("no acmejx serve answers on the control socket " + path + " (" + e.getMessage()
                    + "); start `acmejx serve --control " + path + "` or give --control the path it uses", e);
        }
    }

    Path path() {
        return path;
    }

    /**
     * Sends one request and returns the answer.
     *
     * @throws AcmejxException when serve answers {@code "ok": false} (with its reason), or the socket fails
     */
    synchronized JsonNode request(ObjectNode request) throws AcmejxException {
        String line;
        try {
            out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            line = CompletableFuture.supplyAsync(this::readLine).get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (IOException | ExecutionException e) {
            throw failure("the connection failed: " + (e.getCause() != null ? e.getCause() : e), e);
        } catch (TimeoutException e) {
            closeQuietly(channel);
            throw failure("no answer within " + ANSWER_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted", e);
        }
        if (line == null) {
            throw failure("serve closed the connection without an answer", null);
        }
        JsonNode answer = parse(line);
        if (!answer.path("ok").asBoolean(false)) {
            throw new AcmejxException("acmejx serve at " + path + " refused: " + answer.path("error").asText(line));
        }
        return answer;
    }

    private String readLine() {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode parse(String line) throws AcmejxException {
        try {
            return ControlRequests.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw failure("it answered something that is not JSON: " + line, e);
        }
    }

    private AcmejxException failure(String what, Exception cause) {
        return new AcmejxException("control socket " + path + ": " + what, cause);
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was pending on the connection; there is nothing to tell anyone.
        }
    }
}
