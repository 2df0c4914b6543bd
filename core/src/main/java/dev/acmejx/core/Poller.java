package dev.acmejx.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import org.shredzone.acme4j.PollableResource;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * Polls an ACME resource until it reaches one of the given states. acme4j waits three seconds when the server
 * sends no Retry-After; validation against a nearby CA often takes milliseconds, so acmejx starts at 50 ms and
 * doubles up to 2 s, and always waits exactly as long as a Retry-After asks.
 */
final class Poller {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(2);

    private final Duration timeout;

    Poller(Duration timeout) {
        this.timeout = timeout;
    }

    Status await(PollableResource resource, Set<Status> wanted, String what)
            throws AcmeException, AcmejxException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Duration pause = FIRST_PAUSE;
        while (true) {
            var retryAfter = resource.fetch();
            Status status = resource.getStatus();
            if (wanted.contains(status)) {
                return status;
            }
            Instant now = Instant.now();
            Duration wait = retryAfter.map(at -> Duration.between(now, at)).filter(d -> !d.isNegative())
                    .orElse(pause);
            if (now.plus(wait).isAfter(deadline)) {
                throw new AcmejxException(what + " is still " + status.name().toLowerCase(Locale.ROOT) + " after "
                        + timeout.toSeconds() + " s; the CA is slow or stuck, try again later");
            }
            Thread.sleep(wait.toMillis());
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
    }
}
