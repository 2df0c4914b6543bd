package dev.acmejx.cli;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Gives the heap a peak of connections grew back to the system once the peak has passed. serve's serial collector
 * (serve.jvm-options) grows the heap for a peak and shrinks it only after a full collection, which a serve back at
 * fewer connections never needs by itself: in bench/mux.sh, 2,000 connections after a peak of 9,900 held 138 MiB
 * of RSS against 97 MiB before it. So every {@link #CHECK}, once the open connections have been at most half the
 * peak since the last collection at {@link #CHECKS_BELOW} checks in a row, and that peak was at least
 * {@link #MIN_PEAK} (below it the heap grew by a few MiB at most), serve runs one full collection, which shrinks
 * the heap to the live set plus the free share serve.jvm-options allows. It stops the relay for some tens of
 * milliseconds, once per peak.
 */
final class HeapAfterPeak {

    static final Duration CHECK = Duration.ofSeconds(5);
    static final long MIN_PEAK = 1000;
    static final int CHECKS_BELOW = 2;
    private static final Logger LOG = System.getLogger("acmejx.serve");
    private static final long MIB = 1 << 20;

    private long peak;
    private int checksBelow;

    /**
     * One check.
     *
     * @param open the connections open now
     * @return the peak that has passed, when the full collection is due now; the next peak starts from {@code open}
     */
    OptionalLong passedPeak(long open) {
        peak = Math.max(peak, open);
        if (peak < MIN_PEAK || open > peak / 2) {
            checksBelow = 0;
            return OptionalLong.empty();
        }
        if (++checksBelow < CHECKS_BELOW) {
            return OptionalLong.empty();
        }
        long passed = peak;
        peak = open;
        checksBelow = 0;
        return OptionalLong.of(passed);
    }

    /**
     * Checks {@code open} every {@link #CHECK} on a daemon thread of its own, until the returned executor is shut
     * down.
     */
    static ScheduledExecutorService watch(LongSupplier open) {
        ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "acmejx-heap-after-peak");
            thread.setDaemon(true);
            return thread;
        });
        HeapAfterPeak heap = new HeapAfterPeak();
        checks.scheduleWithFixedDelay(() -> {
            long now = open.getAsLong();
            heap.passedPeak(now).ifPresent(peak -> collect(peak, now));
        }, CHECK.toMillis(), CHECK.toMillis(), TimeUnit.MILLISECONDS);
        return checks;
    }

    private static void collect(long peak, long now) {
        Runtime runtime = Runtime.getRuntime();
        long before = runtime.totalMemory();
        long start = System.nanoTime();
        System.gc();
        LOG.log(Level.INFO, "heap: {0} connections open after a peak of {1}; a full collection took {2} ms, "
                + "heap {3} MiB before and {4} MiB after", String.valueOf(now), String.valueOf(peak),
                String.valueOf((System.nanoTime() - start) / 1_000_000), String.valueOf(before / MIB),
                String.valueOf(runtime.totalMemory() / MIB));
    }
}
