import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A bot on Parley's server API (docs/SERVER-API.md), with the JDK's HTTP client and
 * Jakarta JSON Processing: it reads the room's newest messages every half second and
 * answers "!echo something" with "something", as a reply. The idempotency key makes an
 * answer once-only, even if the bot restarts and reads the question again. Run it with the
 * standalone distribution's libraries:
 *
 *   PARLEY_API_KEY=... java -cp 'parley-0.4.0/lib/*' ParleyBot.java http://localhost:8080 lobby
 */
public class ParleyBot {
    public static void main(String[] args) throws Exception {
        URI messages = URI.create(args[0] + "/api/v1/rooms/" + args[1] + "/messages");
        String auth = "Bearer " + System.getenv("PARLEY_API_KEY");
        // HTTP/1.1: on http:// the client would offer h2c, which the standalone server refuses for a POST
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long seen = -1; // the newest seq read; -1 until the first read, whose messages are the past
        while (true) {
            boolean past = seen < 0;
            HttpRequest read = HttpRequest.newBuilder(URI.create(messages + "?limit=100")).header("Authorization", auth).build();
            JsonObject page = Json.createReader(new StringReader(http.send(read, HttpResponse.BodyHandlers.ofString()).body()))
                    .readObject();
            for (JsonObject message : page.getJsonArray("messages").getValuesAs(JsonObject.class)) {
                long seq = message.getJsonNumber("seq").longValue();
                String text = message.getString("text", "");
                if (!past && seq > seen && message.getString("type").equals("message") && text.startsWith("!echo ")) {
                    String answer = Json.createObjectBuilder().add("user", "echo-bot").add("text", text.substring(6))
                            .add("reply_to", seq).add("idempotency_key", "echo-" + seq).build().toString();
                    http.send(HttpRequest.newBuilder(messages).header("Authorization", auth)
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(answer))
                            .build(), HttpResponse.BodyHandlers.discarding());
                }
                seen = Math.max(seen, seq);
            }
            if (past) {
                System.out.println("echo-bot reads #" + args[1] + " from seq " + (seen = Math.max(seen, 0)));
            }
            Thread.sleep(500);
        }
    }
}
