package dev.acmejx.mux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Forwarded connections whose connect to the backend stays pending: the backend's accept queue is kept full, so the
 * kernel drops serve's SYN and the connect stays pending for as long as the test needs.
 */
class PendingConnectTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /**
     * A client that resets while serve is still connecting to the backend: the connection ends there and then,
     * counted as the client's reset, instead of waiting for a connect that no longer matters.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aResetDuringTheConnectEndsTheConnectionAtOnce(Transport transport) throws Exception {
        assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(), "no native epoll here");
        try (PendingBackend backend = new PendingBackend()) {
            ForwardTarget target = backend.target(Duration.ofMinutes(1));
            CompletableFuture<Void> routed = new CompletableFuture<>();
            try (MuxServer mux = start(transport, hello -> {
                routed.complete(null); // the connect starts right after, on the same thread
                return target;
            })) {
                try (Socket client = new Socket()) {
                    client.connect(mux.boundAddresses().get(0));
                    client.getOutputStream().write(new HelloBytes().sni("reset.test").record());
                    routed.get(10, TimeUnit.SECONDS);
                    client.setSoLinger(true, 0);
                }
                assertEquals(0, mux.drain(Duration.ofSeconds(10)), "connections still open 10 s after the reset");
                assertTrue(mux.metrics().render().contains("outcome=\"completed\"} 1"), mux.metrics().render());
            }
        }
    }

    /** A backend that never answers the SYN ends the connection after the connect timeout, as connect_failed. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aConnectThatTakesLongerThanTheTimeoutEndsTheConnection(Transport transport) throws Exception {
        assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(), "no native epoll here");
        try (PendingBackend backend = new PendingBackend()) {
            ForwardTarget target = backend.target(Duration.ofMillis(300));
            try (MuxServer mux = start(transport, hello -> target);
                    Socket client = new Socket()) {
                client.connect(mux.boundAddresses().get(0));
                client.setSoTimeout(10_000);
                client.getOutputStream().write(new HelloBytes().sni("timeout.test").record());
                assertEquals(-1, client.getInputStream().read(), "serve closes the client once the connect times out");
                assertEquals(0, mux.drain(Duration.ofSeconds(10)), "connections still open after the timeout");
                assertTrue(mux.metrics().render().contains("outcome=\"connect_failed\"} 1"), mux.metrics().render());
            }
        }
    }

    private static MuxServer start(Transport transport, Router router) throws ListenException {
        return MuxServer.start(new MuxServer.Settings(List.of(new InetSocketAddress(LOOPBACK, 0)),
                Duration.ofSeconds(30), 1, Integer.MAX_VALUE, false, transport), router);
    }

    /** A loopback listener that never accepts, its queue of one filled by two connections: a connect stays pending. */
    private static final class PendingBackend implements AutoCloseable {

        private final ServerSocket listener = new ServerSocket(0, 1, LOOPBACK);
        private final Socket queued = new Socket(LOOPBACK, listener.getLocalPort());
        private final Socket queuedToo = new Socket(LOOPBACK, listener.getLocalPort());

        PendingBackend() throws IOException {
            assertThrows(SocketTimeoutException.class, () -> {
                try (Socket probe = new Socket()) {
                    probe.connect(address(), 300);
                }
            }, "the backend's full accept queue must leave a connect pending, or this test proves nothing");
        }

        InetSocketAddress address() {
            return new InetSocketAddress(LOOPBACK, listener.getLocalPort());
        }

        ForwardTarget target(Duration connectTimeout) {
            return new ForwardTarget(address(), ProxyProtocol.NONE, connectTimeout, Duration.ZERO);
        }

        @Override
        public void close() throws IOException {
            queuedToo.close();
            queued.close();
            listener.close();
        }
    }
}
