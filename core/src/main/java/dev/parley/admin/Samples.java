package dev.parley.admin;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/**
 * The admin view's charts: one sample a second for the last {@link #SECONDS}, in fixed
 * arrays (a ring), so it holds the same whatever the traffic. Any thread may call.
 */
final class Samples {
    static final int SECONDS = 15 * 60;

    /** One second of this node: what was open at its end, and its rates. p99 is NaN for a second without messages. */
    record Sample(long epochSecond, int connections, double messagesPerSecond, double deliveriesPerSecond,
                  double p99Millis) {
    }

    private final Sample[] ring = new Sample[SECONDS];
    private int next;
    private int size;

    synchronized void add(Sample sample) {
        ring[next] = sample;
        next = (next + 1) % SECONDS;
        size = Math.min(SECONDS, size + 1);
    }

    synchronized Sample[] oldestFirst() {
        Sample[] out = new Sample[size];
        for (int i = 0; i < size; i++) {
            out[i] = ring[(next - size + i + SECONDS) % SECONDS];
        }
        return out;
    }

    /** {"t":[epoch seconds…],"connections":[…],"messages":[…],"deliveries":[…],"p99":[ms or null…]} */
    JsonObject json() {
        JsonArrayBuilder t = Json.createArrayBuilder();
        JsonArrayBuilder connections = Json.createArrayBuilder();
        JsonArrayBuilder messages = Json.createArrayBuilder();
        JsonArrayBuilder deliveries = Json.createArrayBuilder();
        JsonArrayBuilder p99 = Json.createArrayBuilder();
        for (Sample s : oldestFirst()) {
            t.add(s.epochSecond());
            connections.add(s.connections());
            messages.add(round(s.messagesPerSecond()));
            deliveries.add(round(s.deliveriesPerSecond()));
            if (Double.isNaN(s.p99Millis())) {
                p99.addNull();
            } else {
                p99.add(round(s.p99Millis()));
            }
        }
        return Json.createObjectBuilder().add("t", t).add("connections", connections).add("messages", messages)
                .add("deliveries", deliveries).add("p99", p99).build();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /**
     * The q-quantile of the values counted between two readings of a histogram, by linear
     * interpolation inside the bucket it falls in (as Prometheus' histogram_quantile does).
     *
     * @param bounds the buckets' upper bounds, ascending, the last one +Inf or the largest
     * @param before cumulative counts per bucket (values at most its bound) at the first reading
     * @param after  the same at the second
     * @return NaN when nothing was counted in between; the last finite bound when the quantile is beyond it
     */
    static double quantile(double q, double[] bounds, double[] before, double[] after) {
        int n = bounds.length;
        double total = after[n - 1] - before[n - 1];
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (int i = 0; i < n; i++) {
            double count = after[i] - before[i];
            if (count >= rank) {
                if (Double.isInfinite(bounds[i])) {
                    return lowerBound;
                }
                double inBucket = count - lowerCount;
                return inBucket <= 0 ? bounds[i] : lowerBound + (bounds[i] - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bounds[i];
            lowerCount = count;
        }
        return lowerBound;
    }
}
