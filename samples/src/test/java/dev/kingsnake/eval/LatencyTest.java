package dev.kingsnake.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyTest {

    @Test
    void percentilesAreNearestRanksOfTheSortedLatencies() {
        List<Long> millis = new ArrayList<>();
        for (long i = 1; i <= 200; i++) {
            millis.add(i * 10);
        }
        Collections.shuffle(millis, new java.util.Random(7));
        assertEquals(new Latency(1000, 1800, 1980, 2000), Latency.of(millis));
    }

    @Test
    void oneSlowPackageIsTheMaximumAndTheP99OfAHundred() {
        List<Long> millis = new ArrayList<>(Collections.nCopies(99, 5L));
        millis.add(60_000L);
        Latency l = Latency.of(millis);
        assertEquals(5, l.p50Millis());
        assertEquals(5, l.p99Millis());
        assertEquals(60_000, l.maxMillis());
    }

    @Test
    void noPackagesGiveZeros() {
        assertEquals(new Latency(0, 0, 0, 0), Latency.of(List.of()));
    }
}
