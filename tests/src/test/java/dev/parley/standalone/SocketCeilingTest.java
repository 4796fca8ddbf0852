package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.RawConnection;
import dev.parley.support.StandaloneParley;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The standalone server holds at most its chat limit and a little more in sockets of any
 * kind: beyond that a socket is closed as soon as it is accepted, so a flood of idle
 * connections cannot take the descriptors everything else needs.
 */
class SocketCeilingTest {
    private static final int MAX_CONNECTIONS = 4;

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of(
            "PARLEY_MAX_CONNECTIONS", String.valueOf(MAX_CONNECTIONS), "PARLEY_REQUEST_TIMEOUT", "60"));

    private static boolean served(RawConnection connection) throws IOException {
        connection.send("GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        return connection.readHead().startsWith("HTTP/1.1 200");
    }

    @Test
    void socketsBeyondTheCeilingAreClosedAtOnceAndAPlaceComesFreeWhenOneCloses() throws IOException {
        int ceiling = StandaloneServer.maxSockets(MAX_CONNECTIONS);
        assertEquals(MAX_CONNECTIONS + 16, ceiling);
        URI uri = SERVER.httpUri();
        List<RawConnection> held = new ArrayList<>();
        try {
            for (int i = 0; i < ceiling; i++) {
                RawConnection connection = new RawConnection(uri);
                held.add(connection);
                assertTrue(served(connection), "socket " + (i + 1) + " is within the ceiling");
            }
            try (RawConnection beyond = new RawConnection(uri)) {
                assertTrue(beyond.endsWithin(Duration.ofSeconds(5)), "a socket beyond the ceiling is closed");
            }
            held.remove(0).close();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            boolean servedAgain = false;
            while (!servedAgain && System.nanoTime() < deadline) { // the close reaches the server a moment later
                RawConnection again = new RawConnection(uri);
                if (again.endsWithin(Duration.ofMillis(200))) {
                    again.close();
                } else {
                    servedAgain = served(again);
                    held.add(again);
                }
            }
            assertTrue(servedAgain, "a place came free");
        } finally {
            for (RawConnection connection : held) {
                connection.close();
            }
        }
    }
}
