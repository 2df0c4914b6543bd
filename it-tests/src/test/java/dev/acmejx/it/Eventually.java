package dev.acmejx.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition another process brings about (a file written, a record in etcd) by checking it every
 * 20 ms until a deadline: what the test waits for is the condition, never a fixed time.
 */
final class Eventually {

    private Eventually() {
    }

    static void holds(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + within);
            }
            Thread.sleep(20);
        }
    }
}
