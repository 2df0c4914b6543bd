package dev.acmejx.mux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The relay shuts a native socket's output itself when it passes a half-close on. A peer that reset in the meantime
 * leaves that socket unconnected, and Netty reports ENOTCONN as an unchecked exception: the relay must take that as
 * "could not shut", which closes both sides, and not let it escape into a listener that Netty only logs.
 */
class RelayShutdownTest {

    @Test
    void aConnectedSocketIsShutAndAResetOneReportsFailureInsteadOfThrowing() throws Exception {
        assumeTrue(Epoll.isAvailable(), "no native epoll here");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 2, loopback)) {
            Socket healthy = connected(server);
            Socket reset = connected(server);
            try (java.net.Socket healthyPeer = server.accept(); java.net.Socket resetPeer = server.accept()) {
                assertTrue(healthy.finishConnect(), "the server accepted it, so the connect has completed");
                assertTrue(reset.finishConnect(), "the server accepted it, so the connect has completed");
                resetPeer.setSoLinger(true, 0);
                resetPeer.close();
                awaitError(reset);

                assertTrue(ChannelPeer.shutdownOutput(healthy), "a connected socket's output shuts");
                assertTrue(healthy.isOutputShutdown());
                assertFalse(ChannelPeer.shutdownOutput(reset), "a reset socket cannot be shut");
            } finally {
                healthy.close();
                reset.close();
            }
            assertFalse(ChannelPeer.shutdownOutput(healthy), "a closed socket cannot be shut");
        }
    }

    /** Started, not finished: the socket is non-blocking. */
    private static Socket connected(ServerSocket server) throws Exception {
        Socket socket = Socket.newSocketStream();
        socket.connect(server.getLocalSocketAddress());
        return socket;
    }

    /** The peer's RST arrives through loopback within the close, as a rule; this bounds the rare wait. */
    private static void awaitError(Socket socket) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (socket.getSoError() == 0) {
            assertTrue(Instant.now().isBefore(deadline), "the peer's reset never reached the socket");
            Thread.onSpinWait();
        }
    }
}
