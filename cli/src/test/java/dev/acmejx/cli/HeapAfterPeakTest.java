package dev.acmejx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapAfterPeakTest {

    @Test
    void collectsOnceTheOpenConnectionsHaveStayedAtHalfThePeakOrLessForTwoChecks() {
        HeapAfterPeak heap = new HeapAfterPeak();
        assertFalse(heap.due(9_900));
        assertFalse(heap.due(4_950), "the first check at half the peak");
        assertTrue(heap.due(2_000), "the second one in a row");
        assertFalse(heap.due(2_000), "the peak starts again from 2,000");
        assertFalse(heap.due(1_000));
        assertTrue(heap.due(900), "1,000 and 900 are at most half of 2,000");
    }

    @Test
    void aCountBackAboveHalfThePeakStartsTheChecksAgain() {
        HeapAfterPeak heap = new HeapAfterPeak();
        heap.due(6_000);
        assertFalse(heap.due(1_000));
        assertFalse(heap.due(3_001), "above half of 6,000");
        assertFalse(heap.due(1_000), "one check below again, not two");
        assertTrue(heap.due(1_000));
    }

    @Test
    void aPeakUnderTheMinimumIsNotWorthACollection() {
        HeapAfterPeak heap = new HeapAfterPeak();
        long peak = HeapAfterPeak.MIN_PEAK - 1;
        heap.due(peak);
        for (int check = 0; check < 5; check++) {
            assertFalse(heap.due(0));
        }
        heap.due(HeapAfterPeak.MIN_PEAK);
        heap.due(0);
        assertTrue(heap.due(0));
        assertEquals(0, heap.peak());
    }
}
