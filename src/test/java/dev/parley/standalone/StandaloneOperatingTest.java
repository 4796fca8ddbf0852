package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.ops.OperatingCases;
import dev.parley.support.Http;
import dev.parley.support.Scrape;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Metrics and health on the standalone server (its default H2 store), and its metrics token. */
class StandaloneOperatingTest extends OperatingCases {
    private static final String TOKEN = "scrape-token-0123456789";

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_METRICS_TOKEN", TOKEN));

    @Override
    protected URI chatUri(String room) {
        return SERVER.chatUri(room);
    }

    @Override
    protected URI appUri(String path) {
        return SERVER.httpUri().resolve(path);
    }

    @Override
    protected boolean jdbcStore() {
        return true;
    }

    @Override
    protected boolean clustered() {
        return false;
    }

    @Override
    protected Scrape scrape() {
        return Scrape.of(appUri("metrics"), TOKEN);
    }

    @Test
    void withATokenSetMetricsAnswerOnlyTheBearer() {
        HttpResponse<String> none = Http.get(appUri("metrics"));
        assertEquals(401, none.statusCode());
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals(401, Http.get(appUri("metrics"), "Authorization", "Bearer " + TOKEN + "x").statusCode());
        assertEquals(200, Http.get(appUri("metrics"), "Authorization", "Bearer " + TOKEN).statusCode());
        assertEquals(200, Http.get(appUri("health/ready")).statusCode(), "health needs no token");
    }
}
