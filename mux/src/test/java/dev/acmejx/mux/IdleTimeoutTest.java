package dev.acmejx.mux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --idle-timeout} through a real relay to an echo backend: traffic in either direction keeps a connection
 * open well past the timeout, and silence closes it no sooner than the timeout and not much later than 1.25 times
 * it (the checks run every quarter of the timeout).
 */
class IdleTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(800);
    /** Room for a loaded machine's scheduling on top of the documented 1.25 x the timeout. */
    private static final long LATEST_NANOS = TIMEOUT.toNanos() * 5 / 4 + TimeUnit.MILLISECONDS.toNanos(600);

    @Test
    void trafficKeepsAConnectionOpenAndSilenceClosesItAfterTheTimeout() throws Exception {
        byte[] hello = new HelloBytes().sni("idle.test").record();
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread echo = echoThread(backend);
            ForwardTarget target = new ForwardTarget(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), backend.getLocalPort()),
                    ProxyProtocol.NONE, Duration.ofSeconds(5), TIMEOUT);
            MuxServer.Settings settings = new MuxServer.Settings(
                    List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), Duration.ofSeconds(5), 1,
                    Integer.MAX_VALUE, false, Transport.best());
            try (MuxServer mux = MuxServer.start(settings, h -> target);
                    Socket client = new Socket()) {
                client.connect(mux.boundAddresses().get(0));
                client.setSoTimeout(10_000);
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();
                out.write(hello);
                assertEquals(hello.length, in.readNBytes(hello.length).length, "the hello echoed back");

                long activeUntil = System.nanoTime() + 3 * TIMEOUT.toNanos();
                long lastByte = 0;
                while (System.nanoTime() < activeUntil) {
                    Thread.sleep(TIMEOUT.toMillis() / 3); // the pace of the traffic, not a synchronisation
                    lastByte = System.nanoTime(); // before serve can count it: silence is measured from here
                    out.write('x');
                    assertEquals('x', in.read(), "still relayed after " + elapsedMillis(activeUntil) + " ms");
                }

                assertEquals(-1, in.read(), "closed by serve once silent");
                long silent = System.nanoTime() - lastByte;
                assertTrue(silent >= TIMEOUT.toNanos(), "closed after " + silent / 1_000_000 + " ms of silence");
                assertTrue(silent <= LATEST_NANOS, "closed only after " + silent / 1_000_000 + " ms of silence");
                assertEquals(0, mux.drain(Duration.ofSeconds(5)), "no client connection left open");
                assertTrue(mux.metrics().render().contains("outcome=\"idle_timeout\"} 1"), mux.metrics().render());
            } finally {
                echo.interrupt();
            }
        }
    }

    private static long elapsedMillis(long activeUntil) {
        return (System.nanoTime() - activeUntil + 3 * TIMEOUT.toNanos()) / 1_000_000;
    }

    private static Thread echoThread(ServerSocket backend) {
        Thread thread = new Thread(() -> {
            try (Socket socket = backend.accept()) {
                socket.getInputStream().transferTo(socket.getOutputStream());
            } catch (IOException e) {
                if (!backend.isClosed()) {
                    throw new UncheckedIOException(e);
                }
            }
        }, "echo-backend");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
