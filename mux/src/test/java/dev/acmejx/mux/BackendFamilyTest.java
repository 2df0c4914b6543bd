package dev.acmejx.mux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Backend connections are made with a socket of the backend address's own family (an IPv4 socket for an IPv4
 * backend, not Netty's default IPv6 one): both families must be reached, on both transports.
 */
class BackendFamilyTest {

    @ParameterizedTest
    @CsvSource({"EPOLL, 127.0.0.1", "EPOLL, ::1", "NIO, 127.0.0.1", "NIO, ::1"})
    void forwardsToABackendOfEitherFamily(Transport transport, String backendHost) throws Exception {
        assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(), "no native epoll here");
        InetAddress backendAddress = InetAddress.getByName(backendHost);
        ServerSocket backend;
        try {
            backend = new ServerSocket(0, 50, backendAddress);
        } catch (IOException e) {
            assumeTrue(false, "cannot listen on " + backendHost + " here: " + e);
            return;
        }
        byte[] hello = new HelloBytes().sni("family.test").record();
        CompletableFuture<InetAddress> peer = new CompletableFuture<>();
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        Thread server = new Thread(() -> {
            try (Socket socket = backend.accept()) {
                peer.complete(socket.getInetAddress());
                received.complete(socket.getInputStream().readAllBytes());
            } catch (IOException e) {
                received.completeExceptionally(e);
            }
        }, "family-backend");
        server.setDaemon(true);
        server.start();
        ForwardTarget target = new ForwardTarget(new InetSocketAddress(backendAddress, backend.getLocalPort()),
                ProxyProtocol.NONE, Duration.ofSeconds(5), Duration.ZERO);
        MuxServer.Settings settings = new MuxServer.Settings(
                List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), Duration.ofSeconds(5), 1,
                Integer.MAX_VALUE, false, transport);
        try (backend; MuxServer mux = MuxServer.start(settings, h -> target); Socket client = new Socket()) {
            client.connect(mux.boundAddresses().get(0));
            client.getOutputStream().write(hello);
            client.shutdownOutput();

            assertArrayEquals(hello, received.get(10, TimeUnit.SECONDS));
            assertEquals(backendAddress, peer.get(), "the backend saw a connection of its own family");
        }
    }
}
