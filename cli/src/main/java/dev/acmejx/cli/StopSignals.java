package dev.acmejx.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a request to stop gracefully. A JVM shutdown hook would do the draining too, but the
 * process would then exit 143: systemd and supervisors should see a clean stop as exit 0. Installed before the
 * listeners open, so a supervisor that signals as soon as the port answers still gets a clean stop.
 */
final class StopSignals {

    private final CountDownLatch stop = new CountDownLatch(1);

    private StopSignals() {
    }

    static StopSignals install() {
        StopSignals signals = new StopSignals();
        Signal.handle(new Signal("TERM"), signal -> signals.stop.countDown());
        Signal.handle(new Signal("INT"), signal -> signals.stop.countDown());
        return signals;
    }

    /** Blocks until SIGTERM or SIGINT has arrived. */
    void await() throws InterruptedException {
        stop.await();
    }
}
