package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.NodeTooling;
import dev.parley.support.Prerequisite;
import dev.parley.support.Project;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both clients in a large room of a real standalone server (PROTOCOL.md, "Large rooms"): the
 * welcome's count, {@code members} paged to the end, and a member coming and going heard as
 * {@code presence}. A room of more than 2 users is large here; bea, cy and dee are in it before
 * ada joins.
 */
class LargeRoomClientsTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_PRESENCE_LIMIT", "2"));
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final String room = Rooms.fresh();

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"WEBSOCKET", "HTTP"})
    void theJavaClientHearsPresenceAndPagesTheMembers(Transport transport) throws Exception {
        BlockingQueue<JsonObject> presence = new LinkedBlockingQueue<>();
        try (ChatClient bea = ChatClient.join(SERVER.chatUri(room), "bea");
             ChatClient cy = ChatClient.join(SERVER.chatUri(room), "cy");
             ChatClient dee = ChatClient.join(SERVER.chatUri(room), "dee");
             ParleyClient ada = ParleyClient.builder(URI.create("ws://127.0.0.1:" + SERVER.httpUri().getPort() + "/chat"))
                     .room(room).user("ada").transport(transport).listener(new Listener() {
                         @Override
                         public void onPresence(JsonObject p) {
                             presence.add(p);
                         }
                     }).build()) {
            JsonObject welcome = get(ada.connect());
            assertEquals(4, welcome.getInt("count", -1), "a large room's welcome counts its users: " + welcome);
            assertFalse(welcome.getBoolean("users_more"), "four names fit its first page");
            assertEquals(List.of("ada", "bea", "cy", "dee"), names(welcome, "users"));

            JsonObject first = get(ada.members(null, 2));
            assertEquals(List.of("ada", "bea"), names(first, "users"));
            assertEquals(4, first.getInt("count"));
            assertTrue(first.getBoolean("more"));
            JsonObject rest = get(ada.members("bea", 2));
            assertEquals(List.of("cy", "dee"), names(rest, "users"));
            assertFalse(rest.getBoolean("more"));

            try (ChatClient eve = ChatClient.join(SERVER.chatUri(room), "eve")) {
                JsonObject came = next(presence, p -> names(p, "joined").contains("eve"));
                assertEquals(5, came.getInt("count"));
            }
            JsonObject went = next(presence, p -> names(p, "left").contains("eve"));
            assertEquals(4, went.getInt("count"));
        }
    }

    /** tests/src/test/clients/large-room.mjs, on the JavaScript package in Node. */
    @Test
    void theJavaScriptPackageHearsPresenceAndPagesTheMembers() throws Exception {
        try (ChatClient bea = ChatClient.join(SERVER.chatUri(room), "bea");
             ChatClient cy = ChatClient.join(SERVER.chatUri(room), "cy");
             ChatClient dee = ChatClient.join(SERVER.chatUri(room), "dee")) {
            NodeTooling.Result node;
            try {
                node = NodeTooling.run(Project.file("tests"), Duration.ofSeconds(60), Map.of(), "node",
                        "--experimental-websocket", "--no-warnings",
                        Project.file("tests", "src", "test", "clients", "large-room.mjs").toString(),
                        "ws://127.0.0.1:" + SERVER.httpUri().getPort() + "/chat", room);
            } catch (IOException missing) {
                Prerequisite.missing("no Node.js (node) on the PATH for the client library", missing);
                return;
            }
            assertEquals(0, node.exit(), () -> "large-room.mjs failed:\n" + node.output());
            JsonObject said = Json.createReader(new StringReader(node.output().strip())).readObject();
            JsonObject welcome = said.getJsonObject("welcome");
            assertEquals(List.of("ada", "bea", "cy", "dee"), names(welcome, "users"));
            assertEquals(4, welcome.getInt("count"));
            assertFalse(welcome.getBoolean("users_more"));
            List<JsonObject> pages = said.getJsonArray("pages").getValuesAs(JsonObject.class);
            assertEquals(List.of(List.of("ada", "bea"), List.of("cy", "dee")), pages.stream().map(p -> names(p, "users")).toList());
            assertEquals(List.of(true, false), pages.stream().map(p -> p.getBoolean("more")).toList());
            assertEquals("RangeError", said.getString("refused"), "a limit of 501 is refused at once");
            assertEquals(5, said.getJsonObject("came").getInt("count"));
            assertEquals(4, said.getJsonObject("went").getInt("count"));
        }
    }

    private static List<String> names(JsonObject frame, String member) {
        return frame.getJsonArray(member).getValuesAs(JsonString::getString);
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static JsonObject next(BlockingQueue<JsonObject> frames, Predicate<JsonObject> wanted) throws InterruptedException {
        for (long deadline = System.nanoTime() + WAIT.toNanos(); System.nanoTime() < deadline; ) {
            JsonObject frame = frames.poll(1, TimeUnit.SECONDS);
            if (frame != null && wanted.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no such presence within " + WAIT);
    }
}
