package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The forwarding path byte by byte, between a raw client socket and a raw backend socket. */
class ServeForwardingIT {

    private static final int PAYLOAD = 8 << 20;

    @Test
    void largeRandomPayloadsArriveIdenticalBothWaysAcrossAHalfClose() throws Exception {
        byte[] hello = Hellos.clientHello("bytes.test", "h2");
        byte[] up = random(PAYLOAD, 1);
        byte[] down = random(PAYLOAD, 2);
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        try (TcpBackend backend = TcpBackend.serveOnce(socket -> {
            byte[] all = socket.getInputStream().readAllBytes();
            socket.getOutputStream().write(down);
            return all;
        }, received);
                Serve serve = Serve.start("--listen", "127.0.0.1:" + FreePorts.next(), "--backend",
                        "127.0.0.1:" + backend.port());
                Socket client = connect(serve)) {
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> readAll(client));
            client.getOutputStream().write(hello);
            client.getOutputStream().write(up);
            client.shutdownOutput();

            assertArrayEquals(sha256(hello, up), sha256(received.get(60, TimeUnit.SECONDS)), "client to backend");
            assertArrayEquals(sha256(down), sha256(answer.get(60, TimeUnit.SECONDS)), "backend to client");
            assertTrue(serve.awaitLine(l -> l.contains("sni=bytes.test")).contains("up=" + (hello.length + PAYLOAD)
                    + " down=" + PAYLOAD), "byte counts in the log line");
        }
    }

    @Test
    void slowReaderHoldsBackAFastBackendInsteadOfFillingMemory() throws Exception {
        long total = 256L << 20;
        byte[] hello = Hellos.clientHello("slow-reader.test");
        AtomicLong written = new AtomicLong();
        CompletableFuture<Long> done = new CompletableFuture<>();
        try (TcpBackend backend = TcpBackend.serveOnce(socket -> {
            byte[] chunk = new byte[64 << 10];
            // All of it: closing with unread bytes would make the kernel reset the connection, not finish it.
            socket.getInputStream().readNBytes(hello.length);
            while (written.get() < total) {
                socket.getOutputStream().write(chunk);
                written.addAndGet(chunk.length);
            }
            return written.get();
        }, done);
                Serve serve = Serve.start("--listen", "127.0.0.1:" + FreePorts.next(), "--backend",
                        "127.0.0.1:" + backend.port());
                Socket client = connect(serve)) {
            client.getOutputStream().write(hello);

            long stalledAt = awaitNoProgress(written);
            assertTrue(stalledAt < 64L << 20, "the backend got " + (stalledAt >> 20) + " MiB ahead of a client "
                    + "that reads nothing: serve must stop reading it, not buffer it");
            long read = client.getInputStream().transferTo(OutputStream.nullOutputStream());
            assertEquals(total, read);
            assertEquals(total, done.get(60, TimeUnit.SECONDS));
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

    @Test
    void helloInOneByteSegmentsIsRoutedAndReplayedExactly() throws Exception {
        byte[] hello = Hellos.clientHello("slow.test", "http/1.1");
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        try (TcpBackend backend = TcpBackend.serveOnce(socket -> socket.getInputStream().readAllBytes(), received);
                Serve serve = Serve.start("--listen", "127.0.0.1:" + FreePorts.next(), "--backend",
                        "127.0.0.1:" + backend.port());
                Socket client = connect(serve)) {
            client.setTcpNoDelay(true);
            OutputStream out = client.getOutputStream();
            for (byte b : hello) {
                out.write(b);
                out.flush();
            }
            client.shutdownOutput();

            assertArrayEquals(hello, received.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void proxyProtocolV2CarriesSniAsAuthorityAndTheFirstAlpn() throws Exception {
        byte[] hello = Hellos.clientHello("tlv.test", "h2", "http/1.1");
        CompletableFuture<byte[]> header = new CompletableFuture<>();
        try (TcpBackend backend = TcpBackend.serveOnce(ServeForwardingIT::readProxyV2Header, header);
                Serve serve = Serve.start("--listen", "127.0.0.1:" + FreePorts.next(), "--backend",
                        "127.0.0.1:" + backend.port(), "--proxy-protocol", "v2");
                Socket client = connect(serve)) {
            client.getOutputStream().write(hello);

            byte[] tlvs = header.get(30, TimeUnit.SECONDS);
            assertEquals("tlv.test", tlv(tlvs, 0x02), "PP2_TYPE_AUTHORITY");
            assertEquals("h2", tlv(tlvs, 0x01), "PP2_TYPE_ALPN");
        }
    }

    @Test
    void backendDownClosesTheClientAndSaysWhy() throws Exception {
        int closedPort = FreePorts.next();
        try (Serve serve = Serve.start("--listen", "127.0.0.1:" + FreePorts.next(), "--backend",
                "127.0.0.1:" + closedPort);
                Socket client = connect(serve)) {
            client.getOutputStream().write(Hellos.clientHello("down.test"));

            assertEquals(-1, client.getInputStream().read(), "closed, nothing sent");
            String line = serve.awaitLine(l -> l.contains("sni=down.test"));
            assertTrue(line.contains("connect_failed") && line.contains("127.0.0.1:" + closedPort), line);
        }
    }

    @Test
    void incompleteHelloIsClosedAtTheInspectTimeoutAndNeverForwarded() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Serve serve = Serve.start("--listen", "127.0.0.1:" + FreePorts.next(), "--backend",
                        "127.0.0.1:" + backend.getLocalPort(), "--inspect-timeout", "300ms");
                Socket client = connect(serve)) {
            client.getOutputStream().write(Arrays.copyOf(Hellos.clientHello("late.test"), 20));

            assertEquals(-1, client.getInputStream().read());
            assertTrue(serve.awaitLine(l -> l.contains("inspect_timeout")).contains("within 300 ms"));
            // Routing precedes any backend connection: had this one been forwarded, it would be queued by now.
            backend.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, backend::accept, "the backend never saw a connection");
        }
    }

    @Test
    void plainHttpIsClosedAtOnceWithItsReason() throws Exception {
        try (Serve serve = Serve.start("--listen", "127.0.0.1:" + FreePorts.next(), "--backend",
                "127.0.0.1:" + FreePorts.next(), "--inspect-timeout", "1h");
                Socket client = connect(serve)) {
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            assertEquals(-1, client.getInputStream().read());
            assertTrue(serve.awaitLine(l -> l.contains("not_tls")).contains("is not a TLS handshake record"));
        }
    }

    private static byte[] readProxyV2Header(Socket socket) throws Exception {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] fixed = new byte[16];
        in.readFully(fixed);
        int length = ((fixed[14] & 0xff) << 8) | (fixed[15] & 0xff);
        byte[] rest = new byte[length];
        in.readFully(rest);
        int addresses = fixed[13] == 0x11 ? 12 : 36;
        return Arrays.copyOfRange(rest, addresses, rest.length);
    }

    private static String tlv(byte[] tlvs, int type) {
        for (int i = 0; i + 3 <= tlvs.length;) {
            int length = ((tlvs[i + 1] & 0xff) << 8) | (tlvs[i + 2] & 0xff);
            if ((tlvs[i] & 0xff) == type) {
                return new String(tlvs, i + 3, length, StandardCharsets.US_ASCII);
            }
            i += 3 + length;
        }
        return null;
    }

    private static Socket connect(Serve serve) throws Exception {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), serve.port());
        socket.setSoTimeout(60_000);
        return socket;
    }

    private static byte[] readAll(Socket socket) {
        try (InputStream in = socket.getInputStream(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }
}
