package dev.acmejx.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code acmejx serve} as its own process. Its log (stderr) is read line by line as it comes, so a test waits
 * for the line it expects (ready, a connection's line) instead of sleeping; it is stopped with SIGTERM by PID,
 * after a GC, so that Netty reports any leaked buffer before the log is searched for one.
 */
final class Serve implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int FAILURE_TAIL = 40;
    private static final String JCMD = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();

    private final Process process;
    private final Path control;
    /** The directory made for the control socket when the test gave none; removed on close. */
    private final Optional<Path> ownDirectory;
    private final Thread reader;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    private record Waiter(Predicate<String> wanted, CompletableFuture<String> found) {
    }

    private Serve(Process process, Path control, Optional<Path> ownDirectory) {
        this.process = process;
        this.control = control;
        this.ownDirectory = ownDirectory;
        this.reader = new Thread(this::readLog, "serve-log");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts serve with {@code args} and returns once it logged that it is serving. */
    static Serve start(String... args) {
        return start(List.of(), args);
    }

    /**
     * @param prefix run before java, e.g. {@code prlimit --nofile=65536 --} for many connections
     * @param args serve's options; without {@code --control}, the control socket goes to a fresh directory of
     *     its own (never the machine's /run/acmejx)
     */
    static Serve start(List<String> prefix, String... args) {
        Serve serve = launch(prefix, args);
        try {
            serve.awaitLine(line -> line.contains("serving on"));
        } catch (AssertionError e) {
            try {
                serve.close();
            } catch (RuntimeException | AssertionError notStopped) {
                e.addSuppressed(notStopped);
            }
            throw e;
        }
        return serve;
    }

    /** Starts serve and returns at once, before it is ready: for tests of what start-up does in which order. */
    static Serve launch(String... args) {
        return launch(List.of(), args);
    }

    private static Serve launch(List<String> prefix, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.leakDetection.level=paranoid", "-jar", Paths.jar().toString(), "serve"));
        command.addAll(List.of(args));
        int given = command.indexOf("--control");
        Optional<Path> ownDirectory = Optional.empty();
        try {
            ownDirectory = given >= 0 ? Optional.empty() : Optional.of(Files.createTempDirectory("acmejx-serve"));
            Path control = ownDirectory.map(dir -> dir.resolve("control.sock"))
                    .orElseGet(() -> Path.of(command.get(given + 1)));
            if (given < 0) {
                command.addAll(List.of("--control", control.toString()));
            }
            return new Serve(new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start(),
                    control, ownDirectory);
        } catch (IOException e) {
            ownDirectory.ifPresent(TempDirs::delete);
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private void readLog() {
        try (BufferedReader log = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line = log.readLine(); line != null; line = log.readLine()) {
                lines.add(line);
                for (Waiter waiter : waiters) {
                    if (waiter.wanted().test(line)) {
                        waiter.found().complete(line);
                    }
                }
            }
        } catch (IOException e) {
            waiters.forEach(w -> w.found().completeExceptionally(e));
        }
        waiters.forEach(w -> w.found().completeExceptionally(new AssertionError("serve exited; " + tailForFailure())));
    }

    /** The first log line, past or coming, that {@code wanted} accepts. */
    String awaitLine(Predicate<String> wanted) {
        return await(wanted, true);
    }

    /** The first log line from now on that {@code wanted} accepts: what happened after the caller's last step. */
    String awaitNextLine(Predicate<String> wanted) {
        return await(wanted, false);
    }

    private String await(Predicate<String> wanted, boolean past) {
        Waiter waiter = new Waiter(wanted, new CompletableFuture<>());
        waiters.add(waiter);
        if (past) {
            lines.stream().filter(wanted).findFirst().ifPresent(waiter.found()::complete);
        }
        try {
            return waiter.found().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no log line as expected within " + WAIT + "; " + tailForFailure(), e);
        } finally {
            waiters.remove(waiter);
        }
    }

    /**
     * The end of the log for a failure message: a whole log under load runs to thousands of lines, and the build's
     * summary of failures, where the failing test's name is, would scroll away under it.
     */
    private String tailForFailure() {
        return "log (" + lines.size() + " lines, the last " + FAILURE_TAIL + "):\n" + tail(FAILURE_TAIL);
    }

    /** The last {@code count} lines serve logged, for a failure message. */
    String tail(int count) {
        List<String> all = List.copyOf(lines);
        return String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()));
    }

    /**
     * Every line serve has logged so far that {@code wanted} accepts, from the first: under load serve logs a line
     * per connection, and a tail of any length can miss what came before it.
     */
    List<String> linesMatching(Predicate<String> wanted) {
        return lines.stream().filter(wanted).toList();
    }

    /** The control socket this serve listens on. */
    Path control() {
        return control;
    }

    long pid() {
        return process.pid();
    }

    /** The port of the first listener, from the "serving on 127.0.0.1:PORT, … (epoll)" line. */
    int port() {
        String listening = awaitLine(l -> l.contains("serving on"));
        return Integer.parseInt(listening.replaceFirst(".*serving on \\S*?:(\\d+)[, ].*", "$1"));
    }

    /**
     * SIGTERM by PID, without waiting for the exit, after {@link #reportLeaksNow}. Not {@link Process#destroy}:
     * that also closes the pipes, and the log of a draining serve is exactly what a test wants to go on reading.
     */
    void stopAsync() {
        reportLeaksNow();
        Command.run("kill", "-TERM", String.valueOf(process.pid())).assertSuccess();
    }

    /** Runs a diagnostic command in serve's JVM ({@code GC.run}, {@code VM.class_hierarchy}) and returns its output. */
    String jcmd(String command) {
        return Command.run(JCMD, String.valueOf(process.pid()), command).assertSuccess().out();
    }

    /**
     * A full GC, then a request on the control socket. The GC finds the buffers nobody released, and Netty's
     * paranoid detector logs them ({@code LEAK:}) at the next buffer it tracks, which reading the request
     * allocates. Without it a test ends before the first GC, and a leak goes unseen.
     */
    private void reportLeaksNow() {
        jcmd("GC.run");
        try (ControlSocketClient client = ControlSocketClient.open(control)) {
            client.request("{\"op\":\"status\"}");
        } catch (IOException e) {
            throw new UncheckedIOException("serve's control socket " + control + " did not answer", e);
        }
    }

    /** SIGTERM, then the exit code. */
    int stop() {
        stopAsync();
        return exitCode();
    }

    /** Waits for the process to exit and returns its code. */
    int exitCode() {
        try {
            if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("serve did not stop within " + WAIT + " of SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    /**
     * Stops serve as {@link #stop} does if a test left it running, and fails if Netty reported a leaked buffer
     * meanwhile. It is killed only if it does not stop.
     */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                stop();
            }
        } finally {
            if (process.isAlive()) {
                // stop() failed before its SIGTERM: nothing else would end the process.
                process.destroyForcibly();
            }
            awaitExitAndCheckLeaks();
        }
    }

    private void awaitExitAndCheckLeaks() {
        try {
            // The last lines, where Netty reports leaks at shutdown, must be read before they are searched.
            process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            reader.join(WAIT.toMillis());
            ownDirectory.ifPresent(TempDirs::delete);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> leaks = lines.stream().filter(line -> line.contains("LEAK:")).toList();
        if (!leaks.isEmpty()) {
            throw new AssertionError("serve leaked buffers:\n" + String.join("\n", leaks));
        }
    }
}
