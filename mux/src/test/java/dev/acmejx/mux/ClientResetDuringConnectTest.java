package dev.acmejx.mux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
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
 * A client that resets while serve is still connecting to the backend: the connection ends there and then, counted
 * as the client's reset, instead of waiting for a connect that no longer matters. The backend's accept queue is kept
 * full, so the kernel drops serve's SYN and the connect stays pending for as long as the test needs.
 */
class ClientResetDuringConnectTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aResetDuringTheConnectEndsTheConnectionAtOnce(Transport transport) throws Exception {
        assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(), "no native epoll here");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket backend = new ServerSocket(0, 1, loopback);
                Socket queued = new Socket(loopback, backend.getLocalPort());
                Socket queuedToo = new Socket(loopback, backend.getLocalPort())) {
            assertThrows(SocketTimeoutException.class, () -> {
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress(loopback, backend.getLocalPort()), 300);
                }
            }, "the backend's full accept queue must leave a connect pending, or this test proves nothing");
            ForwardTarget target = new ForwardTarget(new InetSocketAddress(loopback, backend.getLocalPort()),
                    ProxyProtocol.NONE, Duration.ofMinutes(1), Duration.ZERO);
            CompletableFuture<Void> routed = new CompletableFuture<>();
            MuxServer.Settings settings = new MuxServer.Settings(List.of(new InetSocketAddress(loopback, 0)),
                    Duration.ofSeconds(30), 1, Integer.MAX_VALUE, false, transport);
            try (MuxServer mux = MuxServer.start(settings, hello -> {
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
}
