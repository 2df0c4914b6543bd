package dev.acmejx.mux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many short connections at once, each ended by a reset from the client right after the backend's answer, as wrk
 * and browsers do: sockets close and open all the time, so a closed socket's file descriptor number is reused by a
 * backend connect while the closed one's last events are still being handled. Netty 4.2.18's epoll transport handed
 * those events to the new socket and tore down a few healthy connections per 10,000; every one must get its answer.
 */
class ConnectionChurnTest {

    private static final int CLIENTS = 32;
    private static final int CONNECTIONS_EACH = 500;
    private static final byte[] ANSWER = new byte[1200];
    /** Writes after the answer, so the client's reset and the backend's data reach the proxy together. */
    private static final int TRAILING_WRITES = 50;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyShortConnectionGetsItsAnswer(Transport transport) throws Exception {
        assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(), "no native epoll here");
        byte[] hello = new HelloBytes().sni("churn.test").record();
        Logger log = Logger.getLogger("acmejx.mux");
        Level level = log.getLevel();
        log.setLevel(Level.WARNING); // 16,000 connection lines would only slow the test down
        ExecutorService threads = Executors.newFixedThreadPool(2 * CLIENTS);
        try (ServerSocket backend = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < CLIENTS; i++) {
                threads.execute(() -> answerUntilClosed(backend, hello.length));
            }
            ForwardTarget target = new ForwardTarget(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), backend.getLocalPort()), ProxyProtocol.NONE,
                    Duration.ofSeconds(5), Duration.ZERO);
            MuxServer.Settings settings = new MuxServer.Settings(
                    List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), Duration.ofSeconds(5), 2,
                    Integer.MAX_VALUE, false, transport);
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            try (MuxServer mux = MuxServer.start(settings, h -> target)) {
                List<Future<?>> clients = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(threads.submit(() -> connectRepeatedly(mux.boundAddresses().get(0), hello, failures)));
                }
                for (Future<?> client : clients) {
                    client.get();
                }
            }
            assertEquals(List.of(), List.copyOf(failures), "connections that did not get the backend's answer");
        } finally {
            threads.shutdownNow();
            log.setLevel(level);
        }
    }

    private static void connectRepeatedly(InetSocketAddress mux, byte[] hello, Queue<String> failures) {
        for (int i = 0; i < CONNECTIONS_EACH; i++) {
            try (Socket client = new Socket()) {
                client.connect(mux);
                client.setSoTimeout(10_000);
                client.getOutputStream().write(hello);
                int got = readFully(client.getInputStream(), ANSWER.length);
                if (got != ANSWER.length) {
                    failures.add("got " + got + " of " + ANSWER.length + " bytes");
                }
                client.setSoLinger(true, 0);
            } catch (IOException e) {
                failures.add(e.toString());
            }
        }
    }

    /** Reads the ClientHello, answers and closes; one connection at a time per thread. */
    private static void answerUntilClosed(ServerSocket backend, int helloLength) {
        while (!backend.isClosed()) {
            try (Socket socket = backend.accept()) {
                readFully(socket.getInputStream(), helloLength);
                socket.getOutputStream().write(ANSWER);
                for (int i = 0; i < TRAILING_WRITES; i++) {
                    socket.getOutputStream().write(ANSWER);
                }
            } catch (IOException e) {
                // the client's reset or the test's end; the client side counts what matters
            }
        }
    }

    private static int readFully(InputStream in, int length) throws IOException {
        byte[] buffer = new byte[length];
        int n = 0;
        for (int read; n < length && (read = in.read(buffer, n, length - n)) > 0; ) {
            n += read;
        }
        return n;
    }
}
