package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.ChatClient;
import dev.parley.support.Poll;
import dev.parley.support.RawConnection;
import dev.parley.support.StandaloneParley;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Once a connection is upgraded, Grizzly's HTTP codec no longer holds its request
 * ({@link dev.parley.standalone.grizzly.PastTheHttpCodec}), while one still being read is
 * held as before; and the upgraded connections' frames still arrive, past the codec.
 */
class UpgradeRequestReleaseTest {
    private static final int CHATS = 3;

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_STORE", "memory"));

    @Test
    void anUpgradedConnectionHoldsNoRequestInTheCodec() throws Exception {
        List<ChatClient> chats = new ArrayList<>();
        try (RawConnection half = new RawConnection(SERVER.httpUri())) {
            for (int i = 0; i < CHATS; i++) {
                chats.add(ChatClient.join(SERVER.chatUri("release"), "user" + i));
            }
            half.send("GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // the head is not over
            int held = Poll.until(() -> SERVER.server().requestsInCodec(), n -> n >= 1, Duration.ofSeconds(5));
            assertEquals(1, held, "only the half request is held, not the " + CHATS + " upgrade requests");

            chats.get(0).say("still read", "c1").awaitAck("c1");
            for (ChatClient chat : chats) {
                assertEquals("still read", chat.nextOf("message").getString("text"));
            }
        } finally {
            chats.forEach(ChatClient::close);
        }
    }
}
