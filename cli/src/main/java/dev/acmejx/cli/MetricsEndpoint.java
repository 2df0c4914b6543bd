package dev.acmejx.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.acmejx.core.AcmejxException;
import dev.acmejx.mux.MuxMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics} in Prometheus' text format on {@code --metrics}, served by the JDK's own HTTP server. */
final class MetricsEndpoint implements AutoCloseable {

    private final HttpServer server;

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    static MetricsEndpoint start(InetSocketAddress address, MuxMetrics metrics) throws AcmejxException {
        try {
            HttpServer server = HttpServer.create(address, 16);
            server.createContext("/metrics", exchange -> answer(exchange, metrics));
            server.start();
            return new MetricsEndpoint(server);
        } catch (IOException e) {
            throw new AcmejxException("cannot serve --metrics on " + address + ": " + e.getMessage(), e);
        }
    }

    private static void answer(HttpExchange exchange, MuxMetrics metrics) throws IOException {
        byte[] body = metrics.render().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        int status = exchange.getRequestMethod().equals("GET") ? 200 : 405;
        exchange.sendResponseHeaders(status, status == 200 ? body.length : -1);
        try (OutputStream out = exchange.getResponseBody()) {
            if (status == 200) {
                out.write(body);
            }
        }
    }

    /** The address actually bound. */
    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
