package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.ParleyConfig;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Logged;
import dev.parley.protocol.Outbound;
import dev.parley.room.Moderation;
import dev.parley.room.RoomRegistry;
import dev.parley.store.HistoryStore;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inside the application server: the room registry, the store and the settings are
 * CDI beans there, and the endpoint the server runs talks to that same registry.
 */
@ExtendWith(ArquillianExtension.class)
class RegistryInContainerIT {

    @Deployment
    static WebArchive war() {
        return Deployments.parleyWar();
    }

    @Inject
    RoomRegistry registry;

    @Inject
    Moderation moderation;

    @Inject
    HistoryStore store;

    @Inject
    ParleyConfig config;

    @ArquillianResource
    URL base;

    @Test
    void theBeansAreInjectedAndTheSettingsComeFromTheServersSystemProperties() {
        assertNotNull(registry);
        assertEquals(0, config.rateLimit(), "-Dparley.rate.limit=0 on the server's command line");
        assertEquals(16384, config.maxFrameBytes(), "defaults for what is not set");
        String expected = "jdbc".equals(System.getProperty("parley.store")) ? "jdbc, PostgreSQL" : "memory";
        assertTrue(store.describe().startsWith(expected), store.describe());
    }

    @Test
    void aMessageSentThroughTheServersEndpointReachesTheInjectedRegistryAndStore() throws Exception {
        String room = "in-container-" + System.nanoTime();
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(base.toExternalForm().replaceFirst("^http", "ws") + "chat/" + room),
                        new WebSocket.Listener() {
                            private final StringBuilder text = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                text.append(data);
                                if (last) {
                                    frames.add(text.toString());
                                    text.setLength(0);
                                }
                                ws.request(1);
                                return null;
                            }
                        })
                .get(10, TimeUnit.SECONDS);
        try {
            socket.sendText("{\"type\":\"join\",\"user\":\"insider\"}", true).get(10, TimeUnit.SECONDS);
            String welcome = frames.poll(10, TimeUnit.SECONDS);
            assertNotNull(welcome, "no welcome");
            assertTrue(welcome.startsWith("{\"type\":\"welcome\""), welcome);
            assertTrue(moderation.occupancy().contains(new Outbound.RoomCount(room, 1)), moderation.occupancy().toString());

            socket.sendText("{\"type\":\"message\",\"text\":\"from inside\",\"cid\":\"i1\"}", true)
                    .get(10, TimeUnit.SECONDS);
            assertEquals("{\"type\":\"ack\",\"cid\":\"i1\",\"seq\":1}", frames.poll(10, TimeUnit.SECONDS));
            List<Logged> stored = store.before(room, Long.MAX_VALUE, 10);
            assertEquals(1, stored.size());
            assertEquals("insider", stored.get(0).user());
            assertEquals("from inside", ((ChatMessage) stored.get(0)).text());
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }
}
