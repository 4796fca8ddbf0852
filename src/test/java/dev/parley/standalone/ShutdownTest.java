package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.ChatClient;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Stopping the server closes every connection with 1001, joined or not. */
class ShutdownTest {

    @Test
    void everyConnectionIsClosedWith1001() {
        StandaloneParley server = new StandaloneParley();
        server.start();
        try {
            URI room = server.chatUri(Rooms.fresh());
            ChatClient ann = ChatClient.join(room, "ann");
            ChatClient bob = ChatClient.join(room, "bob");
            ChatClient lurker = ChatClient.connect(room);
            ann.next("joined");
            server.stop();
            for (ChatClient client : new ChatClient[] {ann, bob, lurker}) {
                ChatClient.Closed closed = client.awaitClose();
                assertEquals(1001, closed.code());
                assertEquals("server shutting down", closed.reason());
            }
        } finally {
            server.stop();
        }
    }
}
