package dev.acmejx.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a certificate is due, and why, by the first rule that applies: {@code --force-renewal}; the CA's ACME
 * Renewal Information window (RFC 9773) when the CA offers it, since the CA may know of a revocation coming;
 * the lineage's {@code renew_before_expiry}; otherwise once a third of the lifetime remains.
 *
 * @param due whether to order now
 * @param reason for the log line and the summary
 */
public record RenewalDecision(boolean due, String reason) {

    /** The suggested renewal window of ARI. */
    public record Window(Instant start, Instant end) {
    }

    /** certbot 4's bound: a certificate valid for less is renewed at half its lifetime, not a third. */
    static final Duration SHORT_LIVED = Duration.ofDays(10);

    private static final Pattern SPAN = Pattern.compile("(\\d+)\\s*(minute|hour|day|week)s?");

    /**
     * @param ari the CA's window, with the point in it (RFC 9773 §4.2) from which this client renews:
     *     {@code start + jitter * (end - start)}, so that a CA's many clients do not all come at once; the jitter
     *     stays the same from run to run ({@link RenewalPlan#jitter})
     * @param renewBeforeExpiry the conf's {@code renew_before_expiry}, certbot style ({@code 30 days})
     * @throws AcmejxException when {@code renewBeforeExpiry} is not a span this understands
     */
    public static RenewalDecision decide(Instant now, Instant notBefore, Instant notAfter, Optional<Window> ari,
            double jitter, Optional<String> renewBeforeExpiry, boolean force) throws AcmejxException {
        long daysLeft = daysLeft(now, notAfter);
        if (force) {
            return new RenewalDecision(true, "--force-renewal (" + daysLeft + " days left)");
        }
        if (ari.isPresent()) {
            Window window = ari.get();
            long spread = Duration.between(window.start(), window.end()).toMillis();
            Instant from = window.start().plusMillis((long) (Math.max(0, spread) * jitter));
            return now.isBefore(from)
                    ? new RenewalDecision(false, "the CA's renewal window is " + window.start() + " to "
                            + window.end() + "; this client's turn comes at " + from)
                    : new RenewalDecision(true, "the CA's renewal window " + window.start() + " to " + window.end()
                            + " has reached this client's turn");
        }
        if (renewBeforeExpiry.isPresent()) {
            Duration before = span(renewBeforeExpiry.get());
            Instant from = notAfter.minus(before);
            return now.isBefore(from)
                    ? new RenewalDecision(false, daysLeft + " days left; due at " + from + " (renew_before_expiry)")
                    : new RenewalDecision(true, daysLeft + " days left, within renew_before_expiry "
                            + renewBeforeExpiry.get());
        }
        return byLifetime(now, notBefore, notAfter);
    }

    /**
     * Once a third of the lifetime is left; for a short-lived certificate (under {@link #SHORT_LIVED}), once half
     * of it is, as certbot 4 does: a third of six days leaves too little room for a CA outage.
     */
    private static RenewalDecision byLifetime(Instant now, Instant notBefore, Instant notAfter) {
        Duration lifetime = Duration.between(notBefore, notAfter);
        boolean shortLived = lifetime.compareTo(SHORT_LIVED) < 0;
        String part = shortLived ? "half of its lifetime (short-lived)" : "a third of its lifetime";
        Instant from = notAfter.minus(lifetime.dividedBy(shortLived ? 2 : 3));
        String left = now.isBefore(notAfter) ? hoursOrDays(Duration.between(now, notAfter)) + " left"
                : "expired";
        return now.isBefore(from)
                ? new RenewalDecision(false, left + "; due at " + from + " (" + part + ")")
                : new RenewalDecision(true, left + ", under " + part);
    }

    /** Days, or hours when a short-lived certificate has under two days left. */
    private static String hoursOrDays(Duration left) {
        return left.toDays() >= 2 ? left.toDays() + " days" : left.toHours() + " hours";
    }

    /** Whole days from {@code now} until {@code notAfter}, for messages (negative once expired). */
    public static long daysLeft(Instant now, Instant notAfter) {
        return Duration.between(now, notAfter).toDays();
    }

    /** {@code 30 days}, {@code 2 weeks}, {@code 12 hours}: certbot's spellings of renew_before_expiry. */
    static Duration span(String text) throws AcmejxException {
        Matcher matcher = SPAN.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new AcmejxException("renew_before_expiry '" + text + "' is not a span such as '30 days', "
                    + "'2 weeks' or '12 hours'; fix it in the lineage's renewal conf");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "minute" -> Duration.ofMinutes(amount);
            case "hour" -> Duration.ofHours(amount);
            case "week" -> Duration.ofDays(7 * amount);
            default -> Duration.ofDays(amount);
        };
    }
}
