package dev.acmejx.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.acmejx.core.AcmejxException;
import java.io.IOException;
import java.io.OutputStream;
import dev.acmejx.mux.ListenAddress;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** {@code GET /metrics} in Prometheus' text format on {@code --metrics}, served by the JDK's own HTTP server. */
final class MetricsEndpoint implements AutoCloseable {

    private static final Logger LOG = System.getLogger("acmejx.serve");

    private final HttpServer server;
    private volatile boolean stopped;

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    /**
     * Binds now, or, when the port is taken (the old {@code serve} of a zero-downtime upgrade still holds it: the
     * JDK's HTTP server cannot share a port), keeps trying once a second in the background until it is free.
     */
    /** @param metrics the text of a scrape, made anew for each */
    static MetricsEndpoint start(InetSocketAddress address, Supplier<String> metrics) throws AcmejxException {
        try {
            HttpServer server = HttpServer.create();
            server.createContext("/metrics", exchange -> answer(exchange, metrics));
            MetricsEndpoint endpoint = new MetricsEndpoint(server);
            try {
                server.bind(address, 16);
                server.start();
            } catch (BindException e) {
                LOG.log(Level.WARNING, "--metrics {0} is in use (an older serve?); retrying every second",
                        ListenAddress.format(address));
                endpoint.bindLater(address);
            }
            return endpoint;
        } catch (IOException e) {
            throw new AcmejxException("cannot serve --metrics on " + address + ": " + e.getMessage(), e);
        }
    }

    private void bindLater(InetSocketAddress address) {
        Thread retry = new Thread(() -> {
            while (!stopped) {
                try {
                    Thread.sleep(1000);
                    server.bind(address, 16);
                    server.start();
                    LOG.log(Level.INFO, "metrics on http://{0}/metrics", ListenAddress.format(address));
                    return;
                } catch (BindException e) {
                    continue;
                } catch (IOException | InterruptedException e) {
                    LOG.log(Level.WARNING, "gave up serving --metrics: {0}", e.toString());
                    return;
                }
            }
        }, "acmejx-metrics-bind");
        retry.setDaemon(true);
        retry.start();
    }

    private static void answer(HttpExchange exchange, Supplier<String> metrics) throws IOException {
        byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        int status = exchange.getRequestMethod().equals("GET") ? 200 : 405;
        exchange.sendResponseHeaders(status, status == 200 ? body.length : -1);
        try (OutputStream out = exchange.getResponseBody()) {
            if (status == 200) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        server.stop(0);
    }
}
