package dev.acmejx.mux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client-to-backend direction under backpressure, after the backend has finished its own: the backend answers,
 * half-closes, and only then reads the client's upload, slowly. The relay must pass the backend's half-close on at
 * once (the client reads the whole answer while it still has everything to send), stop reading the client while
 * the backend takes nothing rather than buffer the upload, and deliver every byte once the backend reads. On epoll
 * the backend is a bare socket with its own queue ({@link BackendSocket}), on NIO a channel, so it runs on both.
 */
class UploadBackpressureTest {

    private static final int UPLOAD = 128 << 20;
    private static final byte[] ANSWER = "the backend's whole answer".getBytes();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aBackendThatFinishedFirstAndReadsSlowlyHoldsTheClientBackAndGetsEveryByte(Transport transport)
            throws Exception {
        assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(), "no native epoll here");
        byte[] hello = new HelloBytes().sni("upload.test").record();
        byte[] chunk = new byte[64 << 10];
        new Random(7).nextBytes(chunk);
        try (ServerSocket backend = new ServerSocket()) {
            backend.setReceiveBufferSize(64 << 10);
            backend.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ForwardTarget target = new ForwardTarget(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    backend.getLocalPort()), ProxyProtocol.NONE, Duration.ofSeconds(5), Duration.ZERO);
            MuxServer.Settings settings = new MuxServer.Settings(
                    List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), Duration.ofSeconds(5), 1,
                    Integer.MAX_VALUE, false, transport);
            try (MuxServer mux = MuxServer.start(settings, h -> target); Socket client = new Socket()) {
                client.connect(mux.boundAddresses().get(0));
                client.setSoTimeout(60_000);
                client.getOutputStream().write(hello);
                try (Socket backendSide = backend.accept()) {
                    backendSide.setSoTimeout(60_000);
                    assertArrayEquals(hello, backendSide.getInputStream().readNBytes(hello.length));
                    backendSide.getOutputStream().write(ANSWER);
                    backendSide.shutdownOutput();
                    assertArrayEquals(ANSWER, client.getInputStream().readAllBytes(),
                            "the answer and the backend's end of stream, before the client has sent its upload");

                    AtomicLong sent = new AtomicLong();
                    CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> upload(client, chunk, sent));
                    long stalledAt = awaitNoProgress(sent);
                    assertTrue(stalledAt < UPLOAD / 2, "the client got " + (stalledAt >> 20) + " MiB ahead of a "
                            + "backend that reads nothing: the relay must stop reading it, not buffer it");
                    assertArrayEquals(digestOfUpload(chunk), digest(backendSide.getInputStream()),
                            "the upload, to its end");
                    upload.get(60, TimeUnit.SECONDS);
                }
                assertEquals(0, mux.drain(Duration.ofSeconds(10)), "both sides finished, so nothing stays open");
            }
        }
    }

    private static void upload(Socket client, byte[] chunk, AtomicLong sent) {
        try {
            OutputStream out = client.getOutputStream();
            for (int written = 0; written < UPLOAD; written += chunk.length) {
                out.write(chunk);
                sent.addAndGet(chunk.length);
            }
            client.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * How far a writer got once it stopped moving: sampled until two seconds pass without progress. A stall
     * cannot be observed as an event, only as the absence of one over a while.
     */
    private static long awaitNoProgress(AtomicLong counter) throws InterruptedException {
        long last = -1;
        int quiet = 0;
        for (int i = 0; i < 300 && quiet < 20; i++) {
            long now = counter.get();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
            Thread.sleep(100);
        }
        return last;
    }

    private static byte[] digestOfUpload(byte[] chunk) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int written = 0; written < UPLOAD; written += chunk.length) {
            sha.update(chunk);
        }
        return sha.digest();
    }

    /**
     * Small reads keep the backend the slowest of the three, so the relay still holds queued bytes for it when the
     * client's end of stream arrives: closing then must not drop them.
     */
    private static byte[] digest(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[4 << 10];
        for (int read; (read = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, read);
        }
        return sha.digest();
    }
}
