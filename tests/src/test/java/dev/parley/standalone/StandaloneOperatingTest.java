package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.api.ApiCases;
import dev.parley.api.WebhookCases;
import dev.parley.ops.OperatingCases;
import dev.parley.support.ChatClient;
import dev.parley.support.Http;
import dev.parley.support.Project;
import dev.parley.support.Rooms;
import dev.parley.support.Scrape;
import dev.parley.support.StandaloneParley;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Metrics and health on the standalone server (its default H2 store), and its metrics token. */
class StandaloneOperatingTest extends OperatingCases {
    private static final String TOKEN = "scrape-token-0123456789";

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_METRICS_TOKEN", TOKEN,
            "PARLEY_TRUSTED_PROXIES", "127.0.0.1", "PARLEY_API_KEY", ApiCases.KEY,
            // a receiver that is never there: the webhook series, a backlog among them
            "PARLEY_WEBHOOK_URL", "http://127.0.0.1:9/parley-events", "PARLEY_WEBHOOK_SECRET", WebhookCases.SECRET));

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
    protected String sendPath() {
        return StandaloneParley.writePath();
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

    @Test
    void withoutAnAdminTokenTheAdminViewIsOffNotOpen() {
        for (String path : new String[] {"admin", "admin/", "admin/admin.js", "admin/api/rooms", "admin/api/stats"}) {
            assertEquals(404, Http.get(appUri(path)).statusCode(), path);
        }
        assertEquals(404, Http.post(appUri("admin/api/close-room"), "{\"room\":\"lobby\"}").statusCode());
    }

    /** docs/grafana/parley.json asks only for series a node serves (a typo would leave a panel empty). */
    @Test
    void theGrafanaDashboardQueriesOnlySeriesTheNodeServes() throws Exception {
        JsonObject dashboard;
        try (var in = Files.newBufferedReader(Project.file("docs", "grafana", "parley.json"))) {
            dashboard = Json.createReader(in).readObject();
        }
        Set<String> asked = new TreeSet<>();
        for (JsonObject panel : dashboard.getJsonArray("panels").getValuesAs(JsonObject.class)) {
            if (!panel.containsKey("targets")) {
                continue; // a row
            }
            for (JsonObject target : panel.getJsonArray("targets").getValuesAs(JsonObject.class)) {
                Matcher series = SERIES.matcher(target.getString("expr"));
                while (series.find()) {
                    asked.add(series.group(1));
                }
            }
        }
        assertTrue(asked.size() > 15, "the dashboard's series: " + asked);
        try (ChatClient ada = ChatClient.join(chatUri(Rooms.fresh()), "ada")) { // an API request, and an event waiting
            assertEquals(200, Http.get(appUri("api/v1/rooms"), "Authorization", "Bearer " + ApiCases.KEY).statusCode());
        }
        System.gc(); // the GC pause timer appears with the first collection the registry hears of
        Scrape served = Scrape.await(appUri("metrics"), TOKEN, Duration.ofSeconds(10), scrape -> names(scrape).containsAll(asked));
        Set<String> missing = new TreeSet<>(asked);
        missing.removeAll(names(served));
        assertEquals(Set.of(), missing, "series the dashboard asks for that the node does not serve");
    }

    private static final Pattern SERIES = Pattern.compile("\\b((?:parley|jvm|process)_[a-z0-9_]+)");

    private static Set<String> names(Scrape scrape) {
        return scrape.text().lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    }
}
