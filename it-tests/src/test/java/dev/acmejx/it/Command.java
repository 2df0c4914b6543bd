package dev.acmejx.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program to completion as its own process and keeps what it printed. Output goes through files, so a
 * chatty program can never block on a full pipe; a program that outlives its timeout is killed by PID.
 */
final class Command {

    /** What a finished process left behind. */
    record Result(List<String> command, int exit, String out, String err) {

        Result assertSuccess() {
            if (exit != 0) {
                throw new AssertionError(describe("expected exit 0"));
            }
            return this;
        }

        String describe(String what) {
            return what + " from " + String.join(" ", command) + "\nexit " + exit + "\n--- stdout\n" + out
                    + "--- stderr\n" + err;
        }
    }

    private Command() {
    }

    static Result run(List<String> command, Map<String, String> env, Duration timeout) {
        try {
            Path out = Files.createTempFile("acmejx-it", ".out");
            Path err = Files.createTempFile("acmejx-it", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                        .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor();
                    throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                            + "\n--- stdout\n" + Files.readString(out) + "--- stderr\n" + Files.readString(err));
                }
                return new Result(List.copyOf(command), process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    static Result run(String... command) {
        return run(List.of(command), Map.of(), Duration.ofSeconds(60));
    }
}
