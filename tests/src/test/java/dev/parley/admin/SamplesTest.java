package dev.parley.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

class SamplesTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void theRingKeepsTheLastFifteenMinutesOldestFirst() {
        Samples samples = new Samples();
        for (int s = 0; s < Samples.SECONDS + 10; s++) {
            samples.add(new Samples.Sample(1000 + s, s, s, 2 * s, s % 2 == 0 ? Double.NaN : 1.5));
        }
        Samples.Sample[] kept = samples.oldestFirst();
        assertEquals(Samples.SECONDS, kept.length);
        assertEquals(1010, kept[0].epochSecond());
        assertEquals(1000 + Samples.SECONDS + 9, kept[kept.length - 1].epochSecond());
        JsonObject json = samples.json();
        assertEquals(Samples.SECONDS, json.getJsonArray("t").size());
        assertTrue(json.getJsonArray("p99").isNull(0), "a second without messages has no latency");
        assertEquals(1.5, json.getJsonArray("p99").getJsonNumber(1).doubleValue());
    }

    @Test
    void theQuantileIsInterpolatedInsideItsBucketFromTheCountsInBetween() {
        double[] bounds = {0.001, 0.01, 0.1, INF};
        double[] before = {5, 5, 5, 5};          // five fast ones before: not counted
        double[] after = {5, 95, 104, 105};       // then 90 in (1, 10] ms, 9 in (10, 100] ms, one beyond
        // rank 0.99 * 100 = 99: the 9th of the 9 in the third bucket, at its top
        assertEquals(0.1, Samples.quantile(0.99, bounds, before, after), 1e-9);
        // rank 50: the 50th of the 90 in the second bucket
        assertEquals(0.001 + 0.009 * 50 / 90, Samples.quantile(0.5, bounds, before, after), 1e-9);
    }

    @Test
    void nothingCountedHasNoQuantileAndBeyondTheLastBoundIsThatBound() {
        double[] bounds = {0.001, 0.01, INF};
        assertTrue(Double.isNaN(Samples.quantile(0.99, bounds, new double[] {3, 3, 3}, new double[] {3, 3, 3})));
        assertEquals(0.01, Samples.quantile(0.99, bounds, new double[] {0, 0, 0}, new double[] {0, 0, 10}));
    }
}
