package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RenewalDecisionTest {

    private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = NOT_BEFORE.plus(Duration.ofDays(90));
    private static final RenewalDecision.Window WINDOW = new RenewalDecision.Window(
            Instant.parse("2026-02-10T00:00:00Z"), Instant.parse("2026-02-12T00:00:00Z"));

    @Test
    void withoutAriDueOnceAThirdOfTheLifetimeRemains() throws Exception {
        Instant dueFrom = NOT_AFTER.minus(Duration.ofDays(30));

        assertFalse(decide(dueFrom.minusSeconds(1), Optional.empty(), 0.5, Optional.empty()).due());
        RenewalDecision due = decide(dueFrom, Optional.empty(), 0.5, Optional.empty());
        assertTrue(due.due());
        assertTrue(due.reason().contains("30 days left"), due.reason());
    }

    @Test
    void aCertificateOfUnderTenDaysIsDueAtHalfItsLifetimeAsCertbot4Does() throws Exception {
        Instant issued = Instant.parse("2026-01-01T00:00:00Z");
        Instant expires = issued.plus(Duration.ofDays(6));
        Instant half = issued.plus(Duration.ofDays(3));

        RenewalDecision before = RenewalDecision.decide(half.minusSeconds(1), issued, expires, Optional.empty(), 0.5,
                Optional.empty(), false);
        RenewalDecision at = RenewalDecision.decide(half, issued, expires, Optional.empty(), 0.5, Optional.empty(),
                false);

        assertFalse(before.due(), before.reason());
        assertTrue(at.due(), at.reason());
        assertTrue(at.reason().contains("3 days left, under half of its lifetime (short-lived)"), at.reason());
    }

    @Test
    void tenDaysIsNotShortLivedAndKeepsTheThird() throws Exception {
        Instant issued = Instant.parse("2026-01-01T00:00:00Z");
        Instant expires = issued.plus(RenewalDecision.SHORT_LIVED);
        Instant third = expires.minus(RenewalDecision.SHORT_LIVED.dividedBy(3));

        assertFalse(RenewalDecision.decide(third.minusSeconds(1), issued, expires, Optional.empty(), 0.5,
                Optional.empty(), false).due());
        assertTrue(RenewalDecision.decide(third, issued, expires, Optional.empty(), 0.5, Optional.empty(), false)
                .due());
    }

    @Test
    void renewBeforeExpiryOverridesTheThird() throws Exception {
        Instant tenDaysLeft = NOT_AFTER.minus(Duration.ofDays(10));

        assertFalse(decide(tenDaysLeft.minusSeconds(1), Optional.empty(), 0.5, Optional.of("10 days")).due());
        assertTrue(decide(tenDaysLeft, Optional.empty(), 0.5, Optional.of("10 days")).due());
        assertTrue(decide(NOT_AFTER.minus(Duration.ofDays(13)), Optional.empty(), 0.5, Optional.of("2 weeks")).due());
    }

    @Test
    void ariWindowWinsOverExpiryAndEachClientTakesItsOwnPointInIt() throws Exception {
        Instant early = Instant.parse("2026-01-15T00:00:00Z");
        Instant windowMiddle = Instant.parse("2026-02-11T00:00:00Z");
        Instant lateInExpiryTerms = NOT_AFTER.minus(Duration.ofDays(1));

        assertFalse(decide(early, Optional.of(WINDOW), 0.0, Optional.empty()).due(), "before the window");
        assertTrue(decide(windowMiddle, Optional.of(WINDOW), 0.25, Optional.empty()).due(), "its point has passed");
        assertFalse(decide(windowMiddle, Optional.of(WINDOW), 0.75, Optional.empty()).due(), "its point is later");
        assertTrue(decide(WINDOW.end(), Optional.of(WINDOW), 0.999, Optional.empty()).due(), "the window's end");
        assertFalse(decide(Instant.parse("2026-02-01T00:00:00Z"), Optional.of(new RenewalDecision.Window(
                lateInExpiryTerms, NOT_AFTER)), 0.0, Optional.of("60 days")).due(),
                "the CA said later: renew_before_expiry does not pull it forward");
    }

    @Test
    void forceIsAlwaysDue() throws Exception {
        RenewalDecision forced = RenewalDecision.decide(NOT_BEFORE, NOT_BEFORE, NOT_AFTER, Optional.of(WINDOW), 0.5,
                Optional.empty(), true);
        assertTrue(forced.due());
        assertTrue(forced.reason().contains("--force-renewal"), forced.reason());
    }

    @Test
    void spansInCertbotsSpellings() throws Exception {
        assertEquals(Duration.ofDays(30), RenewalDecision.span("30 days"));
        assertEquals(Duration.ofDays(1), RenewalDecision.span("1 day"));
        assertEquals(Duration.ofDays(14), RenewalDecision.span(" 2 Weeks "));
        assertEquals(Duration.ofHours(12), RenewalDecision.span("12 hours"));
        AcmejxException bad = assertThrows(AcmejxException.class, () -> RenewalDecision.span("soon"));
        assertTrue(bad.getMessage().contains("'soon'"), bad.getMessage());
    }

    private static RenewalDecision decide(Instant now, Optional<RenewalDecision.Window> ari, double jitter,
            Optional<String> before) throws AcmejxException {
        return RenewalDecision.decide(now, NOT_BEFORE, NOT_AFTER, ari, jitter, before, false);
    }

    @Test
    void theJitterIsTheSameOnEveryRunForOneCertificateAndDiffersBetweenCertificates() {
        byte[] one = {0x30, 0x01, 0x02};
        byte[] other = {0x30, 0x01, 0x03};

        assertEquals(RenewalPlan.jitter(one), RenewalPlan.jitter(one.clone()));
        assertTrue(RenewalPlan.jitter(one) != RenewalPlan.jitter(other));
        assertTrue(RenewalPlan.jitter(one) >= 0 && RenewalPlan.jitter(one) < 1);
    }
}
