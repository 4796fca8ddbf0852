package dev.parley.ops;

import dev.parley.config.ParleyConfig;
import dev.parley.metrics.Monitoring;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * What {@code /metrics}, {@code /health/live} and {@code /health/ready} answer, whoever
 * serves them: the standalone server's Grizzly handler and the WAR's servlet only carry
 * these answers. Nothing here waits: metrics are read from memory, health from the last
 * check ({@link Health}).
 */
@ApplicationScoped
public class OpsPages {
    public static final String METRICS = "/metrics";
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    private static final String JSON = "application/json";

    /** A response: status, content type, body and any headers besides. */
    public record Answer(int status, String contentType, String body, Map<String, String> headers) {
        public byte[] bytes() {
            return body.getBytes(StandardCharsets.UTF_8);
        }
    }

    private Monitoring monitoring;
    private Health health;
    private byte[] metricsToken; // null: open

    protected OpsPages() {
        // for the CDI proxy
    }

    @Inject
    public OpsPages(ParleyConfig config, Monitoring monitoring, Health health) {
        this.monitoring = monitoring;
        this.health = health;
        String token = config.ops().metricsToken();
        this.metricsToken = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param path          {@link #METRICS}, {@link #LIVE} or {@link #READY}, relative to the application
     * @param authorization the request's Authorization header, or null
     * @return null for any other path
     */
    public Answer answer(String path, String authorization) {
        return switch (path) {
            case METRICS -> metrics(authorization);
            case LIVE -> health(health.live());
            case READY -> health(health.ready());
            default -> null;
        };
    }

    private Answer metrics(String authorization) {
        if (metricsToken != null && (authorization == null
                || !MessageDigest.isEqual(metricsToken, authorization.getBytes(StandardCharsets.UTF_8)))) {
            return new Answer(401, JSON, "{\"status\":\"unauthorized\"}", Map.of("WWW-Authenticate", "Bearer"));
        }
        return new Answer(200, Monitoring.CONTENT_TYPE, monitoring.scrape(), Map.of());
    }

    private static Answer health(Health.Report report) {
        return new Answer(report.up() ? 200 : 503, JSON, report.json(), Map.of());
    }
}
