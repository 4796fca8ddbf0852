package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/PROTOCOL.md, "Taking a name back": a welcome gives each connection a secret, and a
 * join that presents it takes the name back at once from the connection it was given to,
 * which closes with 1000 "replaced by a new connection"; the room hears neither a left nor
 * a joined. Over WebSocket and the HTTP transport.
 */
class TakeBackTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();

    private static URI room(String transport) {
        return transport.equals("http") ? SERVER.streamUri(Rooms.fresh()) : SERVER.chatUri(Rooms.fresh());
    }

    private static JsonObject join(ChatClient client, String user, String resume) {
        var join = Json.createObjectBuilder().add("type", "join").add("user", user);
        if (resume != null) {
            join.add("resume", resume);
        }
        client.send(join.build().toString());
        return client.next();
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "http"})
    void aJoinWithTheSecretTakesTheNameBackUnheardAndTheOldConnectionCloses(String transport) {
        URI room = room(transport);
        try (ChatClient watcher = ChatClient.join(room, "watcher"); ChatClient first = ChatClient.connect(room);
             ChatClient second = ChatClient.connect(room); ChatClient third = ChatClient.connect(room)) {
            JsonObject welcome = join(first, "ann", null);
            assertEquals("welcome", welcome.getString("type"));
            String secret = welcome.getString("resume");
            assertEquals(22, secret.length(), secret);
            assertEquals("ann", watcher.next("joined").getString("user"));

            assertEquals("name-taken", join(second, "ann", "not-the-secret").getString("code"));
            JsonObject again = join(second, "ann", secret);
            assertEquals("welcome", again.getString("type"), again.toString());
            assertNotEquals(secret, again.getString("resume"), "a new secret for the new connection");
            assertEquals(new ChatClient.Closed(1000, "replaced by a new connection"), first.awaitClose());

            assertEquals("name-taken", join(third, "ann", secret).getString("code"), "a secret takes the name back once");
            watcher.say("after", "w1");
            JsonObject next = watcher.next();
            assertEquals("ack", next.getString("type"), "no left, no joined came first: " + next);
            assertEquals("after", second.nextOf("message").getString("text"));
            second.closeNormally();
            assertEquals("ann", watcher.nextOf("left").getString("user"), "the last connection's departure is heard");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "http"})
    void aSecretIsTheRoomsAndTheNamesOnly(String transport) {
        URI room = room(transport);
        try (ChatClient ann = ChatClient.connect(room); ChatClient bob = ChatClient.connect(room);
             ChatClient elsewhere = ChatClient.connect(room(transport))) {
            String secret = join(ann, "ann", null).getString("resume");
            assertEquals("welcome", join(bob, "bob", secret).getString("type"), "a free name: the secret is no matter");
            assertEquals("welcome", join(elsewhere, "ann", secret).getString("type"), "another room: free");
            assertTrue(ann.awaitClose(Duration.ZERO).isEmpty(), "nothing was taken from ann");
        }
    }
}
