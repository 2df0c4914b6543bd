package dev.acmejx.mux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client that half-closes right after its request and then reads a response much larger than the socket
 * buffers: the proxy must go on writing to a connection whose input is shut, across many blocked writes. Netty
 * 4.2.18's epoll transport failed exactly this (the half-closed socket fell out of the epoll set), so it runs on
 * both transports. The metrics must count every byte of it, each way.
 */
class HalfCloseForwardingTest {

    private static final int CONNECTIONS = 40;
    private static final byte[] RESPONSE = random(4 << 20);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void responsesArriveWholeAfterTheClientHalfCloses(Transport transport) throws Exception {
        assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(), "no native epoll here");
        byte[] request = new HelloBytes().sni("half-close.test").record();
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = backendThread(backend);
            InetSocketAddress backendAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    backend.getLocalPort());
            ForwardTarget target = new ForwardTarget(backendAddress, ProxyProtocol.NONE, Duration.ofSeconds(5),
                    Duration.ZERO);
            MuxServer.Settings settings = new MuxServer.Settings(
                    List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), Duration.ofSeconds(5), 1,
                    Integer.MAX_VALUE, false, transport);
            try (MuxServer mux = MuxServer.start(settings, hello -> target)) {
                for (int i = 0; i < CONNECTIONS; i++) {
                    try (Socket client = new Socket()) {
                        client.setReceiveBufferSize(8192); // so the proxy's writes to it must wait for room
                        client.connect(mux.boundAddresses().get(0));
                        client.setSoTimeout(30_000);
                        client.getOutputStream().write(request);
                        client.shutdownOutput();
                        assertArrayEquals(RESPONSE, readAll(client.getInputStream()), "response " + i);
                    }
                }
                assertEquals(0, mux.drain(Duration.ofSeconds(10)), "connections still open after the last response");
                String metrics = mux.metrics().render();
                String route = "{route=\"" + target.name() + "\"} ";
                assertTrue(metrics.contains("acmejx_bytes_up_total" + route + (long) CONNECTIONS * request.length),
                        metrics);
                assertTrue(metrics.contains("acmejx_bytes_down_total" + route + (long) CONNECTIONS * RESPONSE.length),
                        metrics);
            } finally {
                server.interrupt();
            }
        }
    }

    /** Reads each request to its end, then answers with the whole response and closes. */
    private static Thread backendThread(ServerSocket backend) {
        Thread thread = new Thread(() -> {
            while (!backend.isClosed()) {
                try (Socket socket = backend.accept()) {
                    socket.getInputStream().readAllBytes();
                    socket.getOutputStream().write(RESPONSE);
                } catch (IOException e) {
                    if (!backend.isClosed()) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }, "half-close-backend");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        byte[] all = new byte[RESPONSE.length + 1];
        int n = 0;
        for (int read; n < all.length && (read = in.read(all, n, Math.min(8192, all.length - n))) > 0; ) {
            n += read;
        }
        return Arrays.copyOf(all, n);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
