package dev.acmejx.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a request to stop gracefully. A JVM shutdown hook would do the draining too, but the
 * process would then exit 143: systemd and supervisors should see a clean stop as exit 0.
 */
final class StopSignals {

    private StopSignals() {
    }

    /** Blocks until SIGTERM or SIGINT arrives. */
    static void await() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        stop.await();
    }
}
