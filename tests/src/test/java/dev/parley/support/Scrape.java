package dev.parley.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One scrape of a Prometheus endpoint: each sample by its series as printed,
 * {@code parley_errors_total{code="bad-json"}} (Micrometer prints labels sorted by name).
 */
public final class Scrape {
    private final Map<String, Double> samples;
    private final String text;

    private Scrape(String text) {
        this.text = text;
        Map<String, Double> parsed = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            parsed.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        samples = Map.copyOf(parsed);
    }

    /** GETs {@code metrics} (with {@code Authorization: Bearer token} unless null), which must answer 200 in Prometheus' format. */
    public static Scrape of(URI metrics, String token) {
        HttpResponse<String> response = token == null ? Http.get(metrics) : Http.get(metrics, "Authorization", "Bearer " + token);
        assertEquals(200, response.statusCode(), () -> metrics + ": " + response.body());
        String type = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.startsWith("text/plain") && type.contains("version=0.0.4"), "content type " + type);
        return new Scrape(response.body());
    }

    /** Scrapes ({@link Poll}) until a scrape passes {@code test}, for {@code wait} at most; the last scrape otherwise. */
    public static Scrape await(URI metrics, Duration wait, Predicate<Scrape> test) {
        return await(metrics, null, wait, test);
    }

    /** {@link #await(URI, Duration, Predicate)} with a bearer token (null: none). */
    public static Scrape await(URI metrics, String token, Duration wait, Predicate<Scrape> test) {
        return Poll.until(() -> of(metrics, token), test, wait);
    }

    public static Scrape of(URI metrics) {
        return of(metrics, null);
    }

    /** The sample of that series; an AssertionError naming what there is if it is missing. */
    public double value(String series) {
        Double value = samples.get(series);
        if (value == null) {
            throw new AssertionError("no series " + series + " in the scrape; those of that name: "
                    + samples.keySet().stream().filter(s -> s.startsWith(series.split("\\{")[0])).sorted().toList());
        }
        return value;
    }

    /** How much a series grew since {@code before} (a series missing before counts from 0). */
    public double since(Scrape before, String series) {
        return value(series) - before.samples.getOrDefault(series, 0.0);
    }

    public boolean has(String series) {
        return samples.containsKey(series);
    }

    public String text() {
        return text;
    }
}
