package dev.acmejx.mux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
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
        CompletableFuture<InetSocketAddress> peer = new CompletableFuture<>();
        CompletableFuture<Boolean> proxySideIsIpv4 = new CompletableFuture<>();
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        Thread server = new Thread(() -> {
            try (Socket socket = backend.accept()) {
                peer.complete((InetSocketAddress) socket.getRemoteSocketAddress());
                proxySideIsIpv4.complete(listedIn("/proc/net/tcp", socket.getPort(), socket.getLocalPort()));
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
            assertEquals(backendAddress, peer.get().getAddress(), "the backend saw a connection from its own family");
            if (transport == Transport.EPOLL) {
                assertEquals(backendAddress instanceof Inet4Address, proxySideIsIpv4.get(),
                        "serve's socket to the backend is IPv4 exactly when the backend is");
            }
        }
    }

    /**
     * Whether the socket from this local port to this remote port is in the kernel's table of IPv4 TCP sockets; an
     * IPv6 socket connected to an IPv4 address through a mapped address is listed in {@code /proc/net/tcp6} instead.
     */
    private static boolean listedIn(String table, int localPort, int remotePort) throws IOException {
        String local = String.format(":%04X", localPort);
        String remote = String.format(":%04X", remotePort);
        return Files.readAllLines(Path.of(table)).stream().skip(1)
                .map(line -> line.trim().split("\\s+"))
                .anyMatch(fields -> fields[1].endsWith(local) && fields[2].endsWith(remote));
    }
}
