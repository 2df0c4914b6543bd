package dev.acmejx.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real nginx as the web server behind {@code serve}: its own config, certificate, logs and PID file in a temp
 * dir, HTTPS with HTTP/2 on one free port and, for PROXY protocol tests, an HTTPS listener that expects the
 * PROXY header and logs the client address it carries. Stopped by the PID it wrote.
 */
final class Nginx implements AutoCloseable {

    static final String SITE = "site.test";
    static final String BODY = "hello from nginx";

    final Path dir;
    final int port;
    final int proxyProtocolPort;
    private final long pid;

    private Nginx(Path dir, int port, int proxyProtocolPort, long pid) {
        this.dir = dir;
        this.port = port;
        this.proxyProtocolPort = proxyProtocolPort;
        this.pid = pid;
    }

    static Nginx start() throws IOException {
        return start(4096);
    }

    /** @param workerConnections nginx's limit, raised for the many-connections test */
    static Nginx start(int workerConnections) throws IOException {
        Path dir = Files.createTempDirectory("acmejx-nginx");
        try {
            return start(dir, workerConnections);
        } catch (IOException | RuntimeException | AssertionError e) {
            // nginx -c exits non-zero without leaving a master behind when it cannot start.
            TempDirs.delete(dir);
            throw e;
        }
    }

    private static Nginx start(Path dir, int workerConnections) throws IOException {
        prepare(dir);
        int port = FreePorts.next();
        int proxyPort = FreePorts.next();
        Files.writeString(dir.resolve("nginx.conf"), config(dir, port, proxyPort, workerConnections));
        Command.run(List.of("nginx", "-c", dir.resolve("nginx.conf").toString()), Map.of(), Duration.ofSeconds(30))
                .assertSuccess();
        long pid = Long.parseLong(Files.readString(dir.resolve("nginx.pid")).strip());
        return new Nginx(dir, port, proxyPort, pid);
    }

    private static String config(Path dir, int port, int proxyPort, int workerConnections) {
        String temp = dir.resolve("tmp").toString();
        return """
                worker_processes 1;
                worker_rlimit_nofile %6$d;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log;
                events { worker_connections %7$d; }
                http {
                  client_body_temp_path %2$s/body; proxy_temp_path %2$s/proxy; fastcgi_temp_path %2$s/fcgi;
                  uwsgi_temp_path %2$s/uwsgi; scgi_temp_path %2$s/scgi;
                  log_format client '$proxy_protocol_addr $remote_addr $server_port';
                  ssl_certificate %1$s/cert.pem;
                  ssl_certificate_key %1$s/key.pem;
                  server {
                    listen 127.0.0.1:%3$d ssl http2 backlog=16384;
                    access_log %1$s/logs/access.log client;
                    location / { return 200 "%5$s\\n"; }
                  }
                  server {
                    listen 127.0.0.1:%4$d ssl proxy_protocol;
                    access_log %1$s/logs/proxied.log client;
                    location / { return 200 "%5$s\\n"; }
                  }
                }
                """.formatted(dir, temp, port, proxyPort, BODY, workerConnections * 2 + 100, workerConnections);
    }

    /**
     * A deploy hook that puts the renewed lineage's certificate and key where this nginx reads them and reloads
     * it, as an administrator's hook would.
     */
    String deployHook() {
        return "cp \"$RENEWED_LINEAGE/fullchain.pem\" " + dir.resolve("cert.pem")
                + " && cp \"$RENEWED_LINEAGE/privkey.pem\" " + dir.resolve("key.pem")
                + " && nginx -c " + dir.resolve("nginx.conf") + " -s reload";
    }

    /** Lines of the access log of the PROXY protocol listener: {@code <client from header> <peer> <port>}. */
    List<String> proxiedLog() throws IOException {
        return Files.readAllLines(dir.resolve("logs/proxied.log"));
    }

    /** Lines of the plain listener's access log. */
    List<String> accessLog() throws IOException {
        Path log = dir.resolve("logs/access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** What every nginx of the tests needs in its directory: logs/, tmp/ and a certificate for {@link #SITE}. */
    static void prepare(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("tmp"));
        Command.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-days", "2", "-subj", "/CN=" + SITE, "-addext", "subjectAltName=DNS:" + SITE,
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
                .assertSuccess();
    }

    /** Stops the master (which stops its workers first), then removes the directory they used. */
    static void stop(long pid, Path dir) {
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroy();
            process.onExit().join();
        });
        TempDirs.delete(dir);
    }

    @Override
    public void close() {
        stop(pid, dir);
    }
}
