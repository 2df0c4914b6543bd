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
    private static final Pattern COUNTED = Pattern.compile("counted (\\d+) other (\\d+)");

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
        return start(host, port, "");
    }

    /**
     * The same load, counting the responses whose body is {@code body} apart from the others: which of two servers
     * answered each one. {@link Report#counted()} has the two numbers.
     */
    static WrkLoad counting(String host, int port, String body) {
        return start(host, port, """
                counted, other = 0, 0
                threads = {}
                function setup(thread) table.insert(threads, thread) end
                function response(status, headers, body)
                  if body == "%s" then counted = counted + 1 else other = other + 1 end
                end
                function done(summary, latency, requests)
                  for _, thread in ipairs(threads) do
                    io.write("counted ", thread:get("counted"), " other ", thread:get("other"), "\\n")
                  end
                end
                """.formatted(body.replace("\n", "\\n")));
    }

    /**
     * A timeout of 10 s, not wrk's 2 s: a connection that waits in the kernel's queue while serve restarts is late,
     * not lost, and must not be counted as an error on a loaded machine.
     */
    private static WrkLoad start(String host, int port, String lua) {
        Path script = null;
        Path output = null;
        try {
            script = Files.createTempFile("acmejx-wrk", ".lua");
            Files.writeString(script, """
                    wrk.resolve = function(host, service)
                      wrk.addrs = wrk.lookup("127.0.0.1", service)
                    end
                    """ + lua);
            output = Files.createTempFile("acmejx-wrk", ".out");
            Process process = new ProcessBuilder("wrk", "-t1", "-c4", "-d300s", "--timeout", "10s", "-H",
                    "Connection: close", "-s", script.toString(), "https://" + host + ":" + port + "/")
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
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

        /** For {@link #counting}: the responses with the body asked for, and the others. */
        long[] counted() {
            Matcher matcher = COUNTED.matcher(output);
            if (!matcher.find()) {
                throw new AssertionError("wrk printed no counts:\n" + output);
            }
            return new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))};
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
