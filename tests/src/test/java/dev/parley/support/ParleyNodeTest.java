package dev.parley.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A standalone server as its own process: it starts, serves chat, dies by SIGKILL, stops by SIGTERM, comes back. */
class ParleyNodeTest {
    private final ParleyNode node = new ParleyNode("node-1", Map.of("PARLEY_STORE", "memory"));

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void itStartsOnAFreePortAndAClientJoinsARoomOnIt() {
        node.start();
        assertTrue(node.isAlive());
        assertTrue(node.port() > 0);
        try (ChatClient ann = ChatClient.join(node.chatUri(Rooms.fresh()), "ann")) {
            ann.assertNothingPending();
        }
        // the line start() waited for is kept, and found again
        assertEquals(Integer.toString(node.port()),
                node.awaitLine(Pattern.compile("listening on http://[^ ]+:(\\d+)/"), Duration.ZERO).group(1));
        assertTrue(node.lines().stream().anyMatch(line -> line.contains("listening on")), () -> "" + node.lines());
    }

    @Test
    void killedItsConnectionsDropAndNewOnesAreRefused() throws Exception {
        node.start();
        ChatClient ann = ChatClient.join(node.chatUri(Rooms.fresh()), "ann");
        node.kill();
        assertFalse(node.isAlive());
        assertEquals(1006, ann.awaitClose().code(), "no close frame from a killed server");
        assertThrows(ConnectException.class, () -> connect(node.port()));
    }

    @Test
    void stoppedItClosesItsConnectionsWith1001() {
        node.start();
        ChatClient ann = ChatClient.join(node.chatUri(Rooms.fresh()), "ann");
        node.stop();
        assertFalse(node.isAlive());
        assertEquals(1001, ann.awaitClose().code());
    }

    @Test
    void restartedAfterAKillItServesAgain() {
        node.start();
        node.kill();
        node.restart();
        assertTrue(node.isAlive());
        try (ChatClient bob = ChatClient.join(node.chatUri(Rooms.fresh()), "bob")) {
            bob.assertNothingPending();
        }
    }

    @Test
    void aNodeThatCannotStartFailsWithItsOutput() {
        ParleyNode broken = new ParleyNode("broken", Map.of("PARLEY_PORT", "not a port"));
        AssertionError failed = assertThrows(AssertionError.class, broken::start);
        assertTrue(failed.getMessage().contains("broken exited with 2 before listening"), failed::getMessage);
        assertTrue(failed.getMessage().contains("PARLEY_PORT"), failed::getMessage);
        assertFalse(broken.isAlive());
    }

    private static void connect(int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        }
    }
}
