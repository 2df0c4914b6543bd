package dev.acmejx.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Continuous load of new TLS connections (wrk, {@code Connection: close}, one process for the whole test) that
 * the test ends with SIGINT, on which wrk stops and prints its totals, errors included.
 */
final class WrkLoad implements AutoCloseable {

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

    private final Process process;
    private final Path script;
    private final Path output;

    private WrkLoad(Process process, Path script, Path output) {
        this.process = process;
        this.script = script;
        this.output = output;
    }

    /** Starts wrk against {@code https://host:port/}, connecting to 127.0.0.1 with SNI {@code host}. */
    static WrkLoad start(String host, int port) {
        Path script = null;
        Path output = null;
        try {
            script = Files.createTempFile("acmejx-wrk", ".lua");
            Files.writeString(script, """
                    wrk.resolve = function(host, service)
                      wrk.addrs = wrk.lookup("127.0.0.1", service)
                    end
                    """);
            output = Files.createTempFile("acmejx-wrk", ".out");
            Process process = new ProcessBuilder("wrk", "-t1", "-c4", "-d300s", "-H", "Connection: close", "-s",
                    script.toString(), "https://" + host + ":" + port + "/").redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            return new WrkLoad(process, script, output);
        } catch (IOException e) {
            deleteIfMade(script);
            deleteIfMade(output);
            throw new UncheckedIOException(e);
        }
    }

    /** SIGINT, then wrk's report: what it printed, which counts every error it saw. */
    Report stop() throws IOException, InterruptedException {
        Command.run("kill", "-INT", String.valueOf(process.pid())).assertSuccess();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("wrk did not stop on SIGINT");
        }
        return new Report(Files.readString(output));
    }

    /** What wrk printed when it stopped. */
    record Report(String output) {

        long requests() {
            Matcher matcher = REQUESTS.matcher(output);
            return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
        }

        /** wrk prints these lines only when something failed. */
        List<String> errors() {
            return output.lines().filter(line -> line.contains("Socket errors") || line.contains("Non-2xx")).toList();
        }
    }

    /** Kills wrk if the test did not stop it, and removes its script and output once it is gone. */
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
        deleteIfMade(script);
        deleteIfMade(output);
    }

    private static void deleteIfMade(Path file) {
        if (file != null) {
            TempDirs.delete(file);
        }
    }
}
