package dev.acmejx.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A command left running while the test does something else (renews racing each other, a renew killed mid-order),
 * its output (stdout and stderr together) in a file the test reads as it grows.
 */
final class Background implements AutoCloseable {

    private final Process process;
    private final Path output;

    private Background(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static Background start(List<String> command) throws IOException {
        Path output = Files.createTempFile("acmejx-background", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();
        return new Background(process, output);
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the output has a line {@code wanted} accepts. */
    void awaitLine(Predicate<String> wanted, Duration within) throws InterruptedException {
        Eventually.holds("a line of the output of " + process.info().command().orElse("?"), within,
                () -> output().lines().anyMatch(wanted) || !process.isAlive());
        if (output().lines().noneMatch(wanted)) {
            throw new AssertionError("the process ended without the line wanted:\n" + output());
        }
    }

    /** SIGKILL by PID: no shutdown hook, no lease revoked, as a machine that loses power. */
    void kill9() throws InterruptedException {
        Command.run("kill", "-KILL", String.valueOf(process.pid())).assertSuccess();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP or SIGCONT by PID: a process that stalls (a long GC, a VM paused) and then goes on as if nothing. */
    void signal(String name) {
        Command.run("kill", "-" + name, String.valueOf(process.pid())).assertSuccess();
    }

    int exitCode(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + within + ":\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
