package dev.acmejx.core.etcd;

/** Waits between retries: 100 ms doubling to 5 s, back to the start after a success. */
final class Backoff {

    private static final long FIRST_MILLIS = 100;
    private static final long MAX_MILLIS = 5_000;

    private long next = FIRST_MILLIS;

    void reset() {
        next = FIRST_MILLIS;
    }

    /** Sleeps the current delay, then doubles it; an interrupt ends the sleep early and is kept for the caller. */
    void pause() {
        try {
            Thread.sleep(next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        next = Math.min(MAX_MILLIS, next * 2);
    }
}
