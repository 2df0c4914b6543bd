package dev.acmejx.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * {@code serve} under a socket unit, as systemd runs {@code packaging/systemd/acmejx.socket} with its service, on a
 * machine where systemd is not PID 1: {@code socket_unit.py} binds the listening sockets (with SO_REUSEPORT, as
 * {@code ReusePort=yes}), holds them across every restart, and passes them to each serve it starts as sd_listen_fds
 * describes. Stopped by its PID, which stops serve first.
 */
final class SocketUnit implements AutoCloseable {

    private static final Path HOLDER = Paths.repo().resolve("it-tests/src/test/resources/socket_unit.py");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final int FAILURE_TAIL = 40;
    /** The socket unit's FileDescriptorName=, as packaging/systemd/acmejx.socket names it. */
    static final String NAME = "https";

    final Path dir;
    private final Process holder;

    private SocketUnit(Path dir, Process holder) {
        this.dir = dir;
        this.holder = holder;
    }

    /**
     * @param listen the ListenStream= addresses
     * @param serveArgs serve's options; its control socket goes to this unit's own directory
     */
    static SocketUnit start(boolean reusePort, List<String> listen, String... serveArgs) throws IOException {
        SocketUnit unit = launch(reusePort, listen, serveArgs);
        try {
            unit.awaitRuns(1);
            return unit;
        } catch (RuntimeException | AssertionError e) {
            unit.close();
            throw e;
        }
    }

    /** A unit whose serve is expected to refuse to start: returns at once, for the test to read why. */
    static SocketUnit startFailing(List<String> listen, String... serveArgs) throws IOException {
        return launch(false, listen, serveArgs);
    }

    private static SocketUnit launch(boolean reusePort, List<String> listen, String... serveArgs) throws IOException {
        Path dir = Files.createTempDirectory("acmejx-socket-unit");
        List<String> command = new ArrayList<>(List.of("python3", HOLDER.toString(), "--name", NAME, "--dir",
                dir.toString()));
        listen.forEach(address -> command.addAll(List.of("--listen", address)));
        if (reusePort) {
            command.add("--reuseport");
        }
        command.addAll(List.of("--", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.leakDetection.level=paranoid", "-jar", Paths.jar().toString(), "serve", "--control",
                dir.resolve("control.sock").toString()));
        command.addAll(List.of(serveArgs));
        Process holder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("holder.log").toFile()).start();
        return new SocketUnit(dir, holder);
    }

    /** {@code systemctl restart}: the running serve gets SIGTERM and exits, then a new one starts on the same sockets. */
    void restart() {
        int runs = runs();
        Command.run("kill", "-HUP", String.valueOf(holder.pid())).assertSuccess();
        awaitRuns(runs + 1);
    }

    /** Every serve's log so far, each run after a line {@code == run N}. */
    List<String> log() {
        try {
            Path log = dir.resolve("service.log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log lines of run {@code run} (1 for the first serve). */
    List<String> run(int run) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String line : log()) {
            if (line.startsWith("== run ")) {
                in = line.equals("== run " + run);
            } else if (in) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Until the log has a line {@code wanted} accepts, within a deadline; the log is re-read meanwhile. */
    String awaitLine(Predicate<String> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : log()) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            if (!holder.isAlive()) {
                break;
            }
            poll();
        }
        throw new AssertionError("no such line within " + WAIT + " (holder alive: " + holder.isAlive() + "):\n"
                + logForFailure() + "\n--- holder\n" + holderLog());
    }

    private int runs() {
        return (int) log().stream().filter(line -> line.contains("serving on")).count();
    }

    /** Until {@code count} serves in all have said that they serve. */
    private void awaitRuns(int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (runs() < count && holder.isAlive() && System.nanoTime() < deadline) {
            poll();
        }
        if (runs() < count) {
            throw new AssertionError("serve run " + count + " did not start serving:\n" + logForFailure()
                    + "\n--- holder\n" + holderLog());
        }
    }

    /**
     * Between two reads of a log another process writes: the interval bounds only how late a line is seen, never
     * whether, and keeps the reads from taking a core the serve under test needs.
     */
    private static void poll() {
        LockSupport.parkNanos(POLL.toNanos());
    }

    /**
     * Each run's marker and the last lines: the whole log under load runs to thousands of lines, and the build's
     * summary of failures, where the failing test's name is, would scroll away under it.
     */
    private String logForFailure() {
        List<String> all = log();
        List<String> shown = new ArrayList<>(all.stream().filter(line -> line.startsWith("== run ")).toList());
        shown.add("... " + all.size() + " lines in all, the last " + FAILURE_TAIL + ":");
        shown.addAll(all.subList(Math.max(0, all.size() - FAILURE_TAIL), all.size()));
        return String.join("\n", shown);
    }

    private String holderLog() {
        try {
            return Files.readString(dir.resolve("holder.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * {@code systemctl stop} of both units: serve drains and exits, then the sockets close; fails on a leak. Once is
     * enough: a second call finds nothing left to stop.
     */
    @Override
    public void close() {
        try {
            if (holder.isAlive()) {
                Command.run("kill", "-TERM", String.valueOf(holder.pid())).assertSuccess();
            }
            if (!holder.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                holder.descendants().forEach(ProcessHandle::destroyForcibly);
                holder.destroyForcibly();
                throw new AssertionError("the socket unit did not stop within " + WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            List<String> leaks = log().stream().filter(line -> line.contains("LEAK:")).toList();
            TempDirs.delete(dir);
            if (!leaks.isEmpty()) {
                throw new AssertionError("serve leaked buffers:\n" + String.join("\n", leaks));
            }
        }
    }
}
