package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.ChatClient;
import dev.parley.support.Poll;
import dev.parley.support.RawConnection;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import jakarta.json.Json;
import jakarta.json.JsonString;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every member of a room at the presence limit goes at once, with resets, as when a proxy
 * in front of the server dies: each departure's {@code left} goes to members whose sockets
 * are already gone, whose failed writes end them in turn. The room empties, and stays
 * usable.
 */
class MassDisconnectTest {
    private static final int MEMBERS = 199; // with the watcher, the default presence limit: a frame to everyone per departure

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_RATE_LIMIT", "0"));

    @Test
    void aRoomWhoseMembersAllResetAtOnceEmptiesAndStaysUsable() throws Exception {
        URI room = SERVER.chatUri(Rooms.fresh());
        List<RawConnection> members = new ArrayList<>();
        try (ChatClient watcher = ChatClient.join(room, "watcher")) {
            for (int i = 0; i < MEMBERS; i++) {
                RawConnection member = RawConnection.upgraded(room);
                members.add(member);
                member.sendText(Json.createObjectBuilder().add("type", "join").add("user", "m" + i).build().toString());
                assertEquals("m" + i, watcher.nextOf("joined").getString("user"));
            }
            watcher.close(); // nobody is left who reads: every departure's frames go to dead sockets
            for (RawConnection member : members) {
                member.reset();
            }
        }
        List<String> users = Poll.until(() -> othersSeenJoining(room), List::isEmpty, Duration.ofSeconds(20));
        assertEquals(List.of(), users, "everyone who reset has left the room");
        try (ChatClient first = ChatClient.join(room, "first"); ChatClient second = ChatClient.join(room, "second")) {
            first.say("still here", "c1");
            assertEquals("still here", second.nextOf("message").getString("text"));
        }
    }

    private static final AtomicInteger LOOKS = new AtomicInteger();

    /** The names a newcomer's welcome lists beside its own. */
    private static List<String> othersSeenJoining(URI room) {
        String name = "look" + LOOKS.incrementAndGet();
        try (ChatClient client = ChatClient.connect(room)) {
            client.send(Json.createObjectBuilder().add("type", "join").add("user", name).build());
            return client.next("welcome").getJsonArray("users").getValuesAs(JsonString.class).stream()
                    .map(JsonString::getString).filter(user -> !user.equals(name)).toList();
        }
    }
}
