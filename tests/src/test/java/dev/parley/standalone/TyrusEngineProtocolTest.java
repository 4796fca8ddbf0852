package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ProtocolCases;
import dev.parley.support.ChatClient;
import dev.parley.support.Rooms;
import dev.parley.support.Scrape;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every rule of PROTOCOL.md on the standalone server with Tyrus serving the WebSocket
 * ({@code PARLEY_WEBSOCKET_ENGINE=tyrus}) instead of Parley's own ({@link StandaloneProtocolTest}),
 * its frames through Tyrus' writer.
 */
class TyrusEngineProtocolTest extends ProtocolCases {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of(
            "PARLEY_MAX_CONNECTIONS_PER_IP", String.valueOf(SUITE_PER_ADDRESS_LIMIT),
            "PARLEY_PRESENCE_LIMIT", String.valueOf(SUITE_PRESENCE_LIMIT), "PARLEY_WEBSOCKET_ENGINE", "tyrus"));

    @Override
    protected URI chatUri(String room) {
        return SERVER.chatUri(room);
    }

    @Override
    protected int perAddressLimit() {
        return SUITE_PER_ADDRESS_LIMIT;
    }

    @Override
    protected int presenceLimit() {
        return SUITE_PRESENCE_LIMIT;
    }

    @Test
    void framesGoOutThroughTyrusWriter() {
        Scrape before = Scrape.of(SERVER.httpUri().resolve("metrics"));
        try (ChatClient ann = ChatClient.join(chatUri(Rooms.fresh()), "ann")) {
            ann.say("hi", "c1").awaitAck("c1");
            assertEquals("hi", ann.nextOf("message").getString("text"));
        }
        Scrape after = Scrape.of(SERVER.httpUri().resolve("metrics"));
        // welcome, ack, message at least
        assertTrue(after.since(before, "parley_websocket_frames_total{path=\"tyrus\"}") >= 3);
    }
}
