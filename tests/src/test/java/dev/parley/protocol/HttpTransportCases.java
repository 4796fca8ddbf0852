package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.EventStreamWire;
import dev.parley.support.Rooms;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What docs/PROTOCOL.md "HTTP transport" adds to the protocol: the stream's events, the
 * POSTs' statuses, DELETE, Last-Event-ID, and a room of WebSocket and HTTP members. (Every
 * rule of the protocol itself runs over HTTP in ProtocolCases and DeliveryCases.) A
 * subclass says where.
 */
public abstract class HttpTransportCases {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** http://…/sse/{room} on the server under test. */
    protected abstract URI streamUri(String room);

    /** ws://…/chat/{room} on the same server. */
    protected abstract URI chatUri(String room);

    private final String room = Rooms.fresh();

    private ChatClient joinOverHttp(String user) {
        return ChatClient.join(streamUri(room), user);
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder post(URI uri, String contentType, byte[] body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    @Test
    void theFirstEventNamesTheConnectionWithAnUnguessableId() {
        try (ChatClient ann = ChatClient.connect(streamUri(room)); ChatClient bob = ChatClient.connect(streamUri(room))) {
            String id = ann.eventStream().id();
            assertTrue(id.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}"), id);
            assertTrue(!id.equals(bob.eventStream().id()));
            ann.send("{\"type\":\"ping\",\"n\":1}");
            assertEquals(1, ann.next("pong").getInt("n"));
        }
    }

    @Test
    void aMessageEventCarriesItsSeqAsItsId() {
        try (ChatClient ann = joinOverHttp("ann")) {
            ann.say("one");
            long seq = ann.next("message").getJsonNumber("seq").longValue();
            assertEquals(String.valueOf(seq), ann.eventStream().lastEventId());
        }
    }

    @Test
    void aWrongContentTypeIs415AndTheConnectionStaysOpen() throws Exception {
        try (ChatClient ann = joinOverHttp("ann")) {
            URI frames = ann.eventStream().frameUri();
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1")) {
                HttpResponse<String> answer = send(post(frames, type, "{\"type\":\"ping\"}".getBytes()).build());
                assertEquals(415, answer.statusCode(), type);
                assertTrue(answer.body().contains("\"error\""), answer.body());
            }
            assertEquals(202, ann.eventStream().post("{\"type\":\"ping\",\"after\":true}", "application/json; charset=UTF-8"));
            JsonObject pong = ann.next("pong");
            assertTrue(pong.getBoolean("after"), "nothing came of the refused POSTs: " + pong);
        }
    }

    @Test
    void aBodyOverTheFrameLimitIs413AndClosesWith1009() throws Exception {
        try (ChatClient ann = joinOverHttp("ann"); ChatClient bob = joinOverHttp("bob")) {
            ann.nextOf("joined");
            URI frames = bob.eventStream().frameUri();
            // a megabyte: far over the frame limit, under the containers' own limits on a request
            HttpResponse<String> answer = send(post(frames, "application/json", new byte[1024 * 1024]).build());
            assertEquals(413, answer.statusCode());
            assertEquals(1009, bob.awaitClose().code());
            assertEquals("bob", ann.nextOf("left").getString("user"));
            assertEquals(404, bob.eventStream().post("{\"type\":\"ping\"}"), "the connection is closed");
        }
    }

    @Test
    void aBodyThatIsNotUtf8Is400() throws Exception {
        try (ChatClient ann = joinOverHttp("ann")) {
            byte[] latin1 = "{\"type\":\"message\",\"text\":\"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            assertEquals(400, send(post(ann.eventStream().frameUri(), "application/json", latin1).build()).statusCode());
            ann.assertNothingPending();
        }
    }

    @Test
    void anUnknownOrMalformedIdIsRefusedAndPostingBeforeTheStreamFindsNothing() throws Exception {
        URI unknown = URI.create(streamUri(room) + "/bm9kZQ.AAAAAAAAAAAAAAAAAAAAAA");
        HttpResponse<String> answer = send(post(unknown, "application/json", "{\"type\":\"ping\"}".getBytes()).build());
        assertEquals(404, answer.statusCode());
        assertTrue(answer.body().contains("\"error\""), answer.body());
        assertEquals(400, send(post(URI.create(streamUri(room) + "/not-an-id"), "application/json",
                "{\"type\":\"ping\"}".getBytes()).build()).statusCode());
    }

    @Test
    void anotherRoomsConnectionIdIs404AndThatConnectionIsUnharmed() throws Exception {
        try (ChatClient ann = joinOverHttp("ann")) {
            String id = ann.eventStream().id();
            URI elsewhere = URI.create(streamUri(Rooms.fresh()) + "/" + id);
            assertEquals(404, send(post(elsewhere, "application/json",
                    "{\"type\":\"message\",\"text\":\"hijack\"}".getBytes()).build()).statusCode());
            ann.say("mine");
            assertEquals("mine", ann.next("message").getString("text"));
        }
    }

    @Test
    void aPostFromAnOriginNotAllowedIs403() throws Exception {
        try (ChatClient ann = joinOverHttp("ann")) {
            HttpRequest evil = post(ann.eventStream().frameUri(), "application/json",
                    "{\"type\":\"message\",\"text\":\"csrf\"}".getBytes()).header("Origin", "http://evil.example.net").build();
            assertEquals(403, send(evil).statusCode());
            ann.assertNothingPending();
        }
    }

    @Test
    void otherMethodsAre405WithAllow() throws Exception {
        try (ChatClient ann = joinOverHttp("ann")) {
            HttpResponse<String> put = send(HttpRequest.newBuilder(ann.eventStream().frameUri())
                    .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertEquals(405, put.statusCode());
            assertEquals("POST, DELETE", put.headers().firstValue("Allow").orElse(""));
            HttpResponse<String> postStream = send(post(streamUri(room), "application/json", "{}".getBytes()).build());
            assertEquals(405, postStream.statusCode());
            assertEquals("GET", postStream.headers().firstValue("Allow").orElse(""));
        }
    }

    @Test
    void deleteClosesTheConnectionAndTheRoomHearsLeftAtOnce() {
        try (ChatClient ann = ChatClient.join(chatUri(room), "ann"); ChatClient bob = joinOverHttp("bob")) {
            ann.nextOf("joined");
            assertEquals(204, bob.eventStream().delete());
            assertEquals(new ChatClient.Closed(1000, "closed by the client"), bob.awaitClose());
            assertEquals("bob", ann.nextOf("left").getString("user"));
            assertEquals(404, bob.eventStream().post("{\"type\":\"ping\"}"));
        }
    }

    @Test
    void lastEventIdOnANewStreamRecoversLikeSince() {
        List<Long> seqs = new ArrayList<>();
        try (ChatClient ann = joinOverHttp("ann")) {
            for (String text : List.of("one", "two", "three")) {
                ann.say(text);
                seqs.add(ann.next("message").getJsonNumber("seq").longValue());
            }
        }
        try (ChatClient again = ChatClient.connect(streamUri(room), Map.of("Last-Event-ID", String.valueOf(seqs.get(0))))) {
            again.send("{\"type\":\"join\",\"user\":\"ann\"}");
            JsonObject welcome = again.next("welcome");
            assertTrue(welcome.getBoolean("recovered"), welcome.toString());
            assertEquals(List.of("two", "three"), welcome.getJsonArray("history").stream()
                    .map(m -> m.asJsonObject().getString("text")).toList());
            assertEquals(String.valueOf(seqs.get(2)), again.eventStream().lastEventId(), "the welcome's newest seq");
        }
    }

    @Test
    void webSocketAndHttpMembersOfOneRoomSeeTheSameFramesInTheSameOrder() {
        try (ChatClient ws = ChatClient.join(chatUri(room), "ws"); ChatClient http = joinOverHttp("http")) {
            assertEquals("http", ws.nextOf("joined").getString("user"));
            for (int i = 0; i < 20; i++) {
                (i % 2 == 0 ? ws : http).say("m" + i);
            }
            List<JsonObject> seenByWs = new ArrayList<>();
            List<JsonObject> seenByHttp = new ArrayList<>();
            while (seenByWs.size() < 20) {
                seenByWs.add(ws.nextOf("message"));
            }
            while (seenByHttp.size() < 20) {
                seenByHttp.add(http.nextOf("message"));
            }
            assertEquals(seenByWs, seenByHttp);
            for (int i = 1; i < 20; i++) {
                assertEquals(seenByWs.get(i - 1).getJsonNumber("seq").longValue() + 1,
                        seenByWs.get(i).getJsonNumber("seq").longValue());
            }
            http.send("{\"type\":\"typing\"}");
            assertEquals("http", ws.next("typing").getString("user"));
            http.closeNormally();
            JsonObject left = ws.nextOf("left");
            assertEquals("http", left.getString("user"));
            assertEquals(1, left.getInt("count"));
        }
    }
}
