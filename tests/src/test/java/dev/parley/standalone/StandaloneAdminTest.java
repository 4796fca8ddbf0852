package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.admin.AdminCases;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin API on the standalone server (its default H2 store). */
class StandaloneAdminTest extends AdminCases {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_ADMIN_TOKEN", TOKEN));

    @Override
    protected URI chatUri(String room) {
        return SERVER.chatUri(room);
    }

    @Override
    protected URI appUri(String path) {
        return SERVER.httpUri().resolve(path);
    }

    /** The JDK's client offers h2c on a plain connection; Grizzly would give the body to the upgrade, so it is refused. */
    @Test
    void aPostOfferingAnUpgradeIsRefusedAtOnceNotLeftWaiting() throws Exception {
        HttpResponse<String> refused = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build().send(
                HttpRequest.newBuilder(appUri("admin/api/close-room")).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"lobby\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode(), refused.body());
    }
}
