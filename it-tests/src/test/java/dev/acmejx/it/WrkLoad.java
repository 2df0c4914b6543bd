package dev.acmejx.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Continuous load of new TLS connections (wrk, {@code Connection: close}) through a port, in back-to-back
 * one-second rounds so the test can tell which rounds ran after an event and read each round's errors.
 */
final class WrkLoad implements AutoCloseable {

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

    /** One finished round: when it started (nanoTime), what wrk printed. */
    record Round(long startedNanos, String output) {

        long requests() {
            Matcher matcher = REQUESTS.matcher(output);
            return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
        }

        /** wrk only prints these lines when something failed. */
        boolean failed() {
            return requests() < 0 || output.contains("Socket errors") || output.contains("Non-2xx");
        }
    }

    private final List<Round> rounds = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Object roundFinished = new Object();
    private final Thread thread;

    private WrkLoad(List<String> command) {
        thread = new Thread(() -> {
            while (running.get()) {
                long started = System.nanoTime();
                Command.Result wrk = Command.run(command, Map.of(), Duration.ofSeconds(30));
                synchronized (roundFinished) {
                    rounds.add(new Round(started, wrk.exit() + "\n" + wrk.out() + wrk.err()));
                    roundFinished.notifyAll();
                }
            }
        }, "wrk-load");
        thread.start();
    }

    /** Starts the rounds against {@code https://host:port/}, connecting to 127.0.0.1 with SNI {@code host}. */
    static WrkLoad start(String host, int port) {
        try {
            Path script = Files.createTempFile("acmejx-wrk", ".lua");
            Files.writeString(script, """
                    wrk.resolve = function(host, service)
                      wrk.addrs = wrk.lookup("127.0.0.1", service)
                    end
                    """);
            return new WrkLoad(List.of("wrk", "-t1", "-c4", "-d1s", "-H", "Connection: close", "-s", script.toString(),
                    "https://" + host + ":" + port + "/"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Blocks until a round that started at or after {@code nanos} has finished. */
    void awaitRoundStartedAfter(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        synchronized (roundFinished) {
            while (rounds.stream().noneMatch(round -> round.startedNanos() >= nanos)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no wrk round finished in time; rounds so far: " + rounds);
                }
                TimeUnit.NANOSECONDS.timedWait(roundFinished, left);
            }
        }
    }

    List<Round> rounds() {
        return List.copyOf(rounds);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
