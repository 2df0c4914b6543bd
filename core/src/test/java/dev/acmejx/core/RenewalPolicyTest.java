package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Due once a third of the lifetime remains: 30 days of 90, 2 of 6. */
class RenewalPolicyTest {

    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void ninetyDayCertificateIsDueThirtyDaysBeforeExpiry() throws Exception {
        LiveCertificate live = live(Duration.ofDays(90));
        assertEquals(ISSUED.plus(Duration.ofDays(60)), RenewalPolicy.dueFrom(live));
        assertFalse(RenewalPolicy.isDue(live, ISSUED.plus(Duration.ofDays(59))));
        assertTrue(RenewalPolicy.isDue(live, ISSUED.plus(Duration.ofDays(60))));
    }

    @Test
    void shortLivedCertificateIsDueProportionally() throws Exception {
        LiveCertificate live = live(Duration.ofDays(6));
        assertFalse(RenewalPolicy.isDue(live, ISSUED.plus(Duration.ofDays(3))));
        assertTrue(RenewalPolicy.isDue(live, ISSUED.plus(Duration.ofDays(4))));
    }

    private static LiveCertificate live(Duration lifetime) throws Exception {
        var issued = TestCertificates.chain(List.of("a.test"), ISSUED, ISSUED.plus(lifetime));
        return new LiveCertificate(Lineage.of(Path.of("/tmp"), "a.test"), 1, issued.chain().get(0));
    }
}
