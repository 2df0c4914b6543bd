package dev.acmejx.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/** A real TCP server standing in for a backend whose bytes a test must see exactly: it serves one connection. */
final class TcpBackend implements AutoCloseable {

    /** What the backend does with the connection; its result completes {@link #result}. */
    @FunctionalInterface
    interface Session<T> {
        T run(Socket socket) throws Exception;
    }

    private final ServerSocket server;

    private TcpBackend(ServerSocket server) {
        this.server = server;
    }

    static <T> TcpBackend serveOnce(Session<T> session, CompletableFuture<T> result) {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread thread = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    result.complete(session.run(socket));
                } catch (Exception e) {
                    result.completeExceptionally(e);
                }
            }, "tcp-backend");
            thread.setDaemon(true);
            thread.start();
            return new TcpBackend(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
