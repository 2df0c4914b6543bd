package dev.acmejx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HeapAfterPeakTest {

    private static final OptionalLong NOT_YET = OptionalLong.empty();

    @Test
    void collectsOnceTheOpenConnectionsHaveStayedAtHalfThePeakOrLessForTwoChecks() {
        HeapAfterPeak heap = new HeapAfterPeak();
        assertEquals(NOT_YET, heap.passedPeak(9_900));
        assertEquals(NOT_YET, heap.passedPeak(4_950), "the first check at half the peak");
        assertEquals(OptionalLong.of(9_900), heap.passedPeak(2_000), "the second one in a row");
        assertEquals(NOT_YET, heap.passedPeak(2_000), "the next peak starts from 2,000");
        assertEquals(NOT_YET, heap.passedPeak(1_000));
        assertEquals(OptionalLong.of(2_000), heap.passedPeak(900), "1,000 and 900 are at most half of 2,000");
    }

    @Test
    void aCountBackAboveHalfThePeakStartsTheChecksAgain() {
        HeapAfterPeak heap = new HeapAfterPeak();
        heap.passedPeak(6_000);
        assertEquals(NOT_YET, heap.passedPeak(1_000));
        assertEquals(NOT_YET, heap.passedPeak(3_001), "above half of 6,000");
        assertEquals(NOT_YET, heap.passedPeak(1_000), "one check below again, not two");
        assertEquals(OptionalLong.of(6_000), heap.passedPeak(1_000));
    }

    @Test
    void aPeakUnderTheMinimumIsNotWorthACollection() {
        HeapAfterPeak heap = new HeapAfterPeak();
        heap.passedPeak(HeapAfterPeak.MIN_PEAK - 1);
        for (int check = 0; check < 5; check++) {
            assertEquals(NOT_YET, heap.passedPeak(0));
        }
        heap.passedPeak(HeapAfterPeak.MIN_PEAK);
        heap.passedPeak(0);
        assertEquals(OptionalLong.of(HeapAfterPeak.MIN_PEAK), heap.passedPeak(0));
    }
}
