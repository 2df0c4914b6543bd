package dev.acmejx.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One etcd process of an {@link EtcdCluster}: its name, ports, data dir and log, and the process it runs now.
 * The ports and the data dir stay the member's across restarts, as a real member's do; every run appends to the
 * same log (stdout and stderr both, so a flag etcd rejects before its logger starts is in there too). Stopped and
 * killed only through the {@link Process} it started, never by name. Its clients speak http, or https in a cluster
 * from {@link EtcdCluster#startHttps}; the peers speak plain http to each other either way.
 */
final class EtcdMember {

    private static final int TAIL_LINES = 25;

    final String name;
    final int clientPort;
    final int peerPort;
    final Path dataDir;
    final Path log;
    /** Whether the client URL is https; then {@link #monitorUrl} is a plain-http metrics URL of its own. */
    private final boolean https;
    /** The port of that metrics URL; 0 for an http member, which answers {@code /health} on its client URL. */
    private final int metricsPort;
    private final List<Long> pids = new ArrayList<>();
    /** Volatile: the shutdown hook of {@link EtcdCluster} reads it from its own thread. */
    private volatile Process process;

    EtcdMember(String name, Path dir, boolean https) {
        this.name = name;
        this.clientPort = FreePorts.next();
        this.peerPort = FreePorts.next();
        this.dataDir = dir.resolve(name + ".etcd");
        this.log = dir.resolve(name + ".log");
        this.https = https;
        this.metricsPort = https ? FreePorts.next() : 0;
    }

    URI clientUrl() {
        return URI.create((https ? "https" : "http") + "://127.0.0.1:" + clientPort);
    }

    /**
     * Where the harness asks for {@code /health} and {@code /metrics}: the client URL of an http member; for an
     * https one, the plain-http URL of {@code --listen-metrics-urls}, which serves both, so the harness needs none
     * of the TLS files a client must show (with {@code --client-cert-auth}, a client certificate).
     */
    URI monitorUrl() {
        return https ? URI.create("http://127.0.0.1:" + metricsPort) : clientUrl();
    }

    String peerUrl() {
        return "http://127.0.0.1:" + peerPort;
    }

    /**
     * Starts etcd, listening on 127.0.0.1 only. Heartbeat and election timeout are half etcd's defaults (100 ms,
     * 1 s): on loopback that is still ample, and a killed leader is replaced within about a second, not two.
     *
     * @param cluster the settings every member shares: {@code --initial-cluster} and its token, extra flags
     * @param state {@code new} for the cluster's first start, {@code existing} for every later one
     */
    void start(List<String> cluster, String state) {
        if (running()) {
            throw new IllegalStateException(name + " runs already, PID " + process.pid());
        }
        List<String> command = new ArrayList<>(List.of("etcd", "--name", name, "--data-dir", dataDir.toString(),
                "--listen-client-urls", clientUrl().toString(), "--advertise-client-urls", clientUrl().toString(),
                "--listen-peer-urls", peerUrl(), "--initial-advertise-peer-urls", peerUrl(),
                "--initial-cluster-state", state, "--heartbeat-interval", "50", "--election-timeout", "500",
                "--logger", "zap", "--log-outputs", "stderr"));
        if (https) {
            command.addAll(List.of("--listen-metrics-urls", monitorUrl().toString()));
        }
        command.addAll(cluster);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // etcd reads every ETCD_* variable as a flag: one in the caller's environment must not change the test.
        builder.environment().keySet().removeIf(variable -> variable.startsWith("ETCD_"));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        pids.add(process.pid());
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    /** Every PID this member has run as, oldest first. */
    List<Long> pids() {
        return List.copyOf(pids);
    }

    /**
     * SIGTERM to the current run, if it runs, and until it has exited, at most {@code limit}; then SIGKILL.
     *
     * @return whether it exited by itself
     */
    boolean stop(Duration limit) {
        if (!running()) {
            return true;
        }
        process.destroy();
        try {
            if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name + " (PID " + process.pid()
                    + ") to exit; killed it", e);
        }
        kill();
        return false;
    }

    /** SIGKILL to the current run, if it runs, and until it has exited (promptly: SIGKILL cannot be caught). */
    void kill() {
        if (running()) {
            process.destroyForcibly();
        }
        if (process != null) {
            process.onExit().join();
        }
    }

    /** The last lines etcd logged, for a failure message. */
    String logTail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Name, client URL and, once started, PID and whether that process runs or how it exited. */
    @Override
    public String toString() {
        if (process == null) {
            return name + " (" + clientUrl() + ", never started)";
        }
        return name + " (" + clientUrl() + ", PID " + process.pid() + ", "
                + (process.isAlive() ? "running" : "exit " + process.exitValue()) + ")";
    }
}
