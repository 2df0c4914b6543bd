package dev.acmejx.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A real nginx as it is before and after the cutover: the site on the port serve is to own ({@link Site} says how
 * it listens there, changed by a reload), and the same site behind serve on a PROXY protocol port. The two answer
 * with different bodies, so a client can tell which way each response came. Stopped by its master's PID.
 */
final class CutoverNginx implements AutoCloseable {

    /** Which way a response came: from the site on the port itself, or behind serve on the PROXY protocol port. */
    enum Way {
        DIRECT, PROXIED;

        /** What the site answers that way. */
        String body() {
            return name().toLowerCase(Locale.ROOT) + "\n";
        }

        private String log() {
            return "logs/" + name().toLowerCase(Locale.ROOT) + ".log";
        }
    }
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** How the site listens on the public port. */
    enum Site { PLAIN, REUSEPORT, GONE }

    final Path dir;
    final int port;
    final int proxiedPort;
    private final long pid;

    private CutoverNginx(Path dir, int port, int proxiedPort, long pid) {
        this.dir = dir;
        this.port = port;
        this.proxiedPort = proxiedPort;
        this.pid = pid;
    }

    static CutoverNginx start(int port) throws IOException {
        Path dir = Files.createTempDirectory("acmejx-cutover-nginx");
        try {
            Nginx.prepare(dir);
            int proxiedPort = FreePorts.next();
            Files.writeString(dir.resolve("nginx.conf"), config(dir, port, proxiedPort, Site.PLAIN));
            nginx(dir).assertSuccess();
            return new CutoverNginx(dir, port, proxiedPort, Long.parseLong(Files.readString(dir.resolve("nginx.pid"))
                    .strip()));
        } catch (IOException | RuntimeException | AssertionError e) {
            TempDirs.delete(dir);
            throw e;
        }
    }

    /** A new config and {@code nginx -s reload}, as {@code systemctl reload nginx} does it. */
    void reload(Site site) throws IOException {
        Files.writeString(dir.resolve("nginx.conf"), config(dir, port, proxiedPort, site));
        nginx(dir, "-s", "reload").assertSuccess();
    }

    /** Until {@code count} sockets listen on the port, nginx's and others': a reload takes effect a moment later. */
    void awaitListeners(int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int listening = listeners();
        while (listening != count && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            listening = listeners();
        }
        if (listening != count) {
            throw new AssertionError(listening + " sockets listen on " + port + ", not " + count + ":\n"
                    + Command.run("ss", "-ltnp", "sport = :" + port).out());
        }
    }

    private int listeners() {
        return (int) Command.run("ss", "-Hltn", "sport = :" + port).assertSuccess().out().lines().count();
    }

    /** Until the site has answered {@code more} requests {@code way} than it had when asked. */
    void awaitAnswered(Way way, int more) {
        int from = answered(way);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (answered(way) < from + more && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        if (answered(way) < from + more) {
            throw new AssertionError("nginx answered " + (answered(way) - from) + " requests " + way + " within "
                    + WAIT + ", not " + more);
        }
    }

    private int answered(Way way) {
        Path log = dir.resolve(way.log());
        try {
            return Files.exists(log) ? (int) Files.lines(log).count() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Command.Result nginx(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("nginx", "-c", dir.resolve("nginx.conf").toString()));
        command.addAll(List.of(args));
        return Command.run(command, Map.of(), Duration.ofSeconds(30));
    }

    private static String config(Path dir, int port, int proxiedPort, Site site) {
        String onThePort = switch (site) {
            case PLAIN -> server(dir, "127.0.0.1:" + port + " ssl", Way.DIRECT);
            case REUSEPORT -> server(dir, "127.0.0.1:" + port + " ssl reuseport", Way.DIRECT);
            case GONE -> "";
        };
        return """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log;
                events { worker_connections 1024; }
                http {
                  client_body_temp_path %1$s/tmp/body; proxy_temp_path %1$s/tmp/proxy;
                  fastcgi_temp_path %1$s/tmp/fcgi; uwsgi_temp_path %1$s/tmp/uwsgi; scgi_temp_path %1$s/tmp/scgi;
                  ssl_certificate %1$s/cert.pem;
                  ssl_certificate_key %1$s/key.pem;
                %2$s%3$s}
                """.formatted(dir, onThePort, server(dir, "127.0.0.1:" + proxiedPort + " ssl proxy_protocol",
                Way.PROXIED));
    }

    private static String server(Path dir, String listen, Way way) {
        return """
                  server {
                    listen %s;
                    access_log %s/%s;
                    location / { return 200 "%s"; }
                  }
                """.formatted(listen, dir, way.log(), escaped(way));
    }

    /** The body as an nginx string: its newline written as {@code \\n}. */
    private static String escaped(Way way) {
        return way.body().replace("\n", "\\n");
    }

    @Override
    public void close() {
        Nginx.stop(pid, dir);
    }
}
