package dev.acmejx.cli.control;

import static dev.acmejx.cli.control.ControlProtocol.ERROR;
import static dev.acmejx.cli.control.ControlProtocol.JSON;
import static dev.acmejx.cli.control.ControlProtocol.OK;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmejx.core.AcmejxException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A connection to a running {@code serve}'s control socket: one JSON request line, one answer line. Used by
 * {@code issue} (through {@link ServeChallenges}) and by {@code acmejx challenge}.
 */
public final class ControlClient implements AutoCloseable {

    /** A local serve answers in milliseconds; one that does not within this is stuck, and waiting helps nobody. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final Path path;
    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;
    /** Reads answers, so a wait can time out; after any failure the connection is closed, never reused. */
    private final ExecutorService reader = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "acmejx-control-client");
        thread.setDaemon(true);
        return thread;
    });

    private ControlClient(Path path, SocketChannel channel) {
        this.path = path;
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    /**
     * Connects when a serve listens at {@code path}; empty when there is no socket there or nobody accepts on it
     * (a stale file left by a serve that was killed).
     *
     * @throws AcmejxException when a serve is there but will not take this user, or is not one to trust
     */
    public static Optional<ControlClient> ifRunning(Path path) throws AcmejxException {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(connect(path));
        } catch (AcmejxException e) {
            // By kind, not by message: the C library's messages are translated under other locales.
            if (e.getCause() instanceof ConnectException || !Files.exists(path)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public static ControlClient connect(Path path) throws AcmejxException {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(path));
            checkPeer(path, channel);
            return new ControlClient(path, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new AcmejxException("no acmejx serve answers on the control socket " + path + " (" + e.getMessage()
                    + "); start `acmejx serve --control " + path + "`, give --control the path it uses, or run as "
                    + "the user it runs as", e);
        } catch (AcmejxException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Challenges go only to a serve of this user's or root's: anyone else's socket could be an impostor. */
    private static void checkPeer(Path path, SocketChannel channel) throws IOException, AcmejxException {
        UserPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user();
        if (!ControlProtocol.trusted(peer, ControlSocketPath.currentUser())) {
            throw new AcmejxException("the process listening on " + path + " runs as " + peer.getName()
                    + ", neither this user nor root; not publishing challenges to it");
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
    public synchronized JsonNode request(ObjectNode request) throws AcmejxException {
        String line;
        try {
            out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            line = CompletableFuture.supplyAsync(this::readLine, reader)
                    .get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (IOException | ExecutionException e) {
            close();
            throw failure("the connection failed: " + (e.getCause() != null ? e.getCause() : e), e);
        } catch (TimeoutException e) {
            close();
            throw failure("no answer within " + ANSWER_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw failure("interrupted", e);
        }
        if (line == null) {
            throw failure("serve closed the connection without an answer", null);
        }
        JsonNode answer = parse(line);
        if (!answer.path(OK).asBoolean(false)) {
            throw new AcmejxException("acmejx serve at " + path + " refused: " + answer.path(ERROR).asText(line));
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
            return JSON.readTree(line);
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
        reader.shutdownNow();
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
