package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.RawConnection;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What hostile HTTP and frames meet in the application servers, where the container, not
 * Parley, reads them: the timeouts server-config/ sets (10 s), and each container's own
 * answer to an unmasked frame (docs/CONTAINERS.md). The standalone server's counterparts
 * are RequestTimeoutTest and FrameLimitTest.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeployedHttpLimitsIT {
    /** server-config/'s timeouts, and the slack of the containers' timers. */
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(10 + 8);

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.parleyWar();
    }

    @ArquillianResource
    private URL base;

    private static boolean onPayara() {
        return "payara".equals(System.getProperty("arquillian.launch"));
    }

    private static boolean onLiberty() {
        return "liberty".equals(System.getProperty("arquillian.launch"));
    }

    @Test
    void aRequestThatNeverCompletesIsClosedByTheContainersTimeout() throws Exception {
        URI page = Deployments.root(base);
        try (RawConnection half = new RawConnection(page); RawConnection silent = new RawConnection(page)) {
            half.send("GET " + page.getPath() + " HTTP/1.1\r\nHost: " + page.getHost() + "\r\n");
            assertTrue(half.endsWithin(CLOSED_WITHIN), "a half request stays open");
            // Liberty: the TCP channel's inactivity timeout (5 s), then the read timeout (10 s)
            Duration silentLater = onLiberty() ? Duration.ofSeconds(5 + 2) : Duration.ofSeconds(2);
            assertTrue(silent.endsWithin(silentLater), "a connection that never sent a request stays open");
        }
    }

    @Test
    void anUnmaskedFrameIsAProtocolErrorOnWildFlyAndLibertyAndReadOnPayara() throws Exception {
        URI chat = Deployments.chatUri(base, "limits");
        try (RawConnection client = RawConnection.upgraded(chat)) {
            client.sendFrame(true, 0x1, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), false);
            RawConnection.Frame frame = client.readFrame();
            if (onPayara()) { // Tyrus in the servlet container does not check the mask bit
                assertEquals(0x1, frame.opcode());
                assertEquals("{\"type\":\"pong\"}", new String(frame.payload(), StandardCharsets.UTF_8));
            } else {
                assertEquals(0x8, frame.opcode(), "a close frame");
                assertEquals(1002, frame.closeCode());
            }
        }
    }

    @Test
    void dripFedHeadersAreCutOnWildFly() throws IOException {
        Assumptions.assumeFalse(onPayara(), "Payara's timer restarts with every byte: docs/CONTAINERS.md");
        Assumptions.assumeFalse(onLiberty(), "Liberty's read timeout restarts with every byte: docs/CONTAINERS.md");
        URI page = Deployments.root(base);
        try (RawConnection drip = new RawConnection(page)) {
            byte[] request = ("GET " + page.getPath() + " HTTP/1.1\r\nHost: " + page.getHost() + "\r\nX-Slow: "
                    + "a".repeat(200) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            long deadline = System.nanoTime() + CLOSED_WITHIN.toNanos();
            boolean ended = false;
            for (int i = 0; i < request.length && !ended && System.nanoTime() < deadline; i++) {
                try {
                    drip.send(new byte[] {request[i]});
                } catch (IOException closed) {
                    ended = true;
                    break;
                }
                ended = drip.endsWithin(Duration.ofSeconds(1)); // one byte a second, read while waiting
            }
            assertTrue(ended, "drip-fed headers were read for " + CLOSED_WITHIN);
        }
    }
}
