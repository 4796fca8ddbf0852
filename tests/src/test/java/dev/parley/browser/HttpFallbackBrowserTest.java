package dev.parley.browser;

import static dev.parley.support.PageAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.BrowserTest;
import dev.parley.support.Browsers;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatPage;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import dev.parley.support.TcpProxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A page behind a proxy that refuses WebSocket upgrades: it falls back to the HTTP
 * transport by itself, chats with a WebSocket user, survives a restart of the server with
 * what it missed recovered, and goes back to WebSocket once the proxy lets it through: at
 * the next reconnect, or by itself while it chats over HTTP.
 * Leaves target/screenshots/http-fallback-{chromium,firefox}.png.
 */
class HttpFallbackBrowserTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();
    @RegisterExtension
    final Browsers browsers = new Browsers();

    /** Longer than the client's backoff cap (15 s): how long a page may take to come back by itself. */
    private static final Duration BACKOFF = Duration.ofSeconds(20);
    /**
     * How long a page on HTTP may take to be back on WebSocket once it works: Firefox delays a
     * WebSocket to a host where one failed, by up to a minute as failures repeat, and the page
     * uses it when it opens (clients/js/fallback.js).
     */
    private static final Duration FIREFOX_DELAY = Duration.ofSeconds(65);

    private final TcpProxy proxy = new TcpProxy(SERVER.httpUri().getPort());
    private final String room = Rooms.fresh();

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    @BrowserTest
    void behindAProxyThatBlocksWebSocketThePageChatsOverHttpAndReturnsToWebSocketWhenItCan() {
        proxy.refuseUpgrades(true);
        ChatPage alice = browsers.open(URI.create("http://127.0.0.1:" + proxy.port() + "/#" + room)).join("alice");
        assertThat(alice.page().locator("#transport")).hasText("via HTTP fallback");

        try (ChatClient bob = ChatClient.join(SERVER.chatUri(room), "bob")) {
            assertThat(alice.members()).hasText(new String[] {"alice (you)", "bob"});
            alice.send("over http");
            assertEquals("over http", bob.nextOf("message").getString("text"));
            bob.say("over websocket");
            assertThat(alice.deliveredMessages()).hasText(new String[] {"over http", "over websocket"});
            bob.send("{\"type\":\"typing\"}");
            assertThat(alice.typing()).containsText("bob");
            alice.screenshot(Path.of("target", "screenshots", "http-fallback-" + browsers.engine().label() + ".png"));
        }

        SERVER.stop();
        assertThat(alice.status()).hasText(Pattern.compile("Reconnecting in \\d+ s"));
        alice.page().setOffline(true); // so that she misses what is said after the restart
        SERVER.start();
        try (ChatClient carol = ChatClient.join(SERVER.chatUri(room), "carol")) {
            carol.say("said while alice was away", "a1").awaitAck("a1");
        }
        alice.page().setOffline(false);
        assertThat(alice.status()).within(BACKOFF).hasText("Online");
        assertThat(alice.page().locator("#transport")).hasText("via HTTP fallback");
        assertThat(alice.log()).containsText("Reconnected — 1 missed message recovered");
        assertThat(alice.messages()).hasText(new String[] {"over http", "over websocket", "said while alice was away"});

        SERVER.stop();
        assertThat(alice.status()).hasText(Pattern.compile("Reconnecting in \\d+ s"));
        proxy.refuseUpgrades(false);
        SERVER.start();
        assertThat(alice.page().locator("#transport")).within(FIREFOX_DELAY).hasText("via WebSocket");
        assertThat(alice.status()).hasText("Online");
        try (ChatClient dan = ChatClient.join(SERVER.chatUri(room), "dan")) {
            alice.send("back on websocket");
            assertEquals("back on websocket", dan.nextOf("message").getString("text"));
        }
        assertThat(alice.messages()).hasText(new String[] {
            "over http", "over websocket", "said while alice was away", "back on websocket"});
    }

    @BrowserTest
    void aPageOnHttpGoesBackToWebSocketByItselfOnceTheProxyLetsItThrough() {
        proxy.refuseUpgrades(true);
        ChatPage alice = browsers.open(URI.create("http://127.0.0.1:" + proxy.port() + "/#" + room)).join("alice");
        assertThat(alice.page().locator("#transport")).hasText("via HTTP fallback");
        alice.send("over http");
        assertThat(alice.deliveredMessages()).hasText(new String[] {"over http"});

        proxy.refuseUpgrades(false);
        // The page tries WebSocket again 15 s after it was refused; no reconnect is needed.
        assertThat(alice.page().locator("#transport")).within(FIREFOX_DELAY).hasText("via WebSocket");
        assertThat(alice.status()).hasText("Online");
        try (ChatClient bob = ChatClient.join(SERVER.chatUri(room), "bob")) {
            assertThat(alice.members()).hasText(new String[] {"alice (you)", "bob"});
            alice.send("over websocket");
            assertEquals("over websocket", bob.nextOf("message").getString("text"));
        }
        assertThat(alice.messages()).hasText(new String[] {"over http", "over websocket"});
        assertThat(alice.log()).not().containsText("Reconnected");
    }
}
