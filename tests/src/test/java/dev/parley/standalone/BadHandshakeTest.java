package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.LogProblems;
import dev.parley.support.RawConnection;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An upgrade request that is not a valid WebSocket handshake gets 400, and leaves no stack trace in the log. */
class BadHandshakeTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();

    @RegisterExtension
    final LogProblems log = new LogProblems();

    private String answerTo(String headers) throws IOException {
        URI chat = SERVER.chatUri(Rooms.fresh());
        try (RawConnection raw = new RawConnection(chat)) {
            raw.send("GET " + chat.getRawPath() + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + headers + "\r\n");
            return raw.readHead();
        }
    }

    private void assertNoStackTrace() {
        assertEquals(List.of(), log.recorded());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sec-WebSocket-Version: 13\r\n",
            "Sec-WebSocket-Key: not base64!\r\nSec-WebSocket-Version: 13\r\n",
            "Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n"})
    void anUpgradeWithoutAValidKeyGets400(String headers) throws IOException {
        String answer = answerTo(headers);
        assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
        assertNoStackTrace();
    }

    /** RFC 6455 4.2.2: 426 naming the version the server speaks. */
    @ParameterizedTest
    @ValueSource(strings = {"", "Sec-WebSocket-Version: 99\r\n", "Sec-WebSocket-Version: lots\r\n"})
    void anUpgradeWithoutASupportedVersionGets426(String version) throws IOException {
        String answer = answerTo("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" + version);
        assertTrue(answer.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), answer);
        assertTrue(answer.contains("Sec-WebSocket-Version: 13\r\n"), answer);
        assertNoStackTrace();
    }
}
