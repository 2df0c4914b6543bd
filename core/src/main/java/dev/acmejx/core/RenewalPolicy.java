package dev.acmejx.core;

import java.time.Duration;
import java.time.Instant;

/**
 * When a certificate is due: once a third of its lifetime remains (30 days of a 90-day certificate, certbot's
 * default, and proportionally less for short-lived ones). ACME Renewal Information takes precedence where the
 * CA offers it; that decision belongs to {@code renew}.
 */
public final class RenewalPolicy {

    private RenewalPolicy() {
    }

    /** The instant from which {@code certificate} is due. */
    public static Instant dueFrom(LiveCertificate certificate) {
        return certificate.notAfter().minus(certificate.lifetime().dividedBy(3));
    }

    public static boolean isDue(LiveCertificate certificate, Instant now) {
        return !now.isBefore(dueFrom(certificate));
    }

    /** Whole days from {@code now} until {@code then}, for messages. */
    public static long daysUntil(Instant now, Instant then) {
        return Duration.between(now, then).toDays();
    }
}
