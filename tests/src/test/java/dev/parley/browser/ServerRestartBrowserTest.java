package dev.parley.browser;

import static dev.parley.support.PageAssertions.assertThat;

import dev.parley.support.BrowserTest;
import dev.parley.support.Browsers;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatPage;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The standalone server (durable default store) goes away and comes back on the same port:
 * the pages show that they are reconnecting, keep what was written meanwhile, reconnect by
 * themselves and end up with every message exactly once, in order.
 */
class ServerRestartBrowserTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();
    @RegisterExtension
    final Browsers browsers = new Browsers();

    /** Longer than the client's backoff cap (15 s): how long a page may take to come back by itself. */
    private static final Duration BACKOFF = Duration.ofSeconds(20);

    @BrowserTest
    void afterARestartThePagesReconnectByThemselvesAndShowWhatTheyMissedOnce() {
        String room = Rooms.fresh();
        ChatPage alice = browsers.open(SERVER.webClient(room)).join("alice");
        ChatPage bob = browsers.open(SERVER.webClient(room)).join("bob");
        alice.send("before 1");
        assertThat(bob.deliveredMessages()).hasText(new String[] {"before 1"}); // or the server may order bob's first
        bob.send("before 2");
        assertThat(alice.deliveredMessages()).hasText(new String[] {"before 1", "before 2"});
        assertThat(bob.deliveredMessages()).hasText(new String[] {"before 1", "before 2"});

        SERVER.stop();
        assertThat(alice.status()).hasText(Pattern.compile("Reconnecting in \\d+ s"));
        // said once, not "The server is shutting down. (server shutting down)"
        assertThat(alice.log().locator(".sys").last()).hasText("The server is shutting down.");
        assertThat(bob.status()).hasText(Pattern.compile("Reconnecting in \\d+ s"));
        alice.send("written while the server was down");
        assertThat(alice.log().locator(".msg.pending")).containsText("waiting for the connection");
        assertThat(alice.log().locator(".msg.pending .text")).hasText("written while the server was down");
        // bob's network goes too, so that he misses what is said after the restart
        bob.page().setOffline(true);

        SERVER.start();
        assertThat(alice.status()).within(BACKOFF).hasText("Online");
        assertThat(alice.deliveredMessages()).hasText(new String[] {
            "before 1", "before 2", "written while the server was down"});
        try (ChatClient carol = ChatClient.join(SERVER.chatUri(room), "carol")) {
            carol.say("after 1", "a1").awaitAck("a1");
            carol.say("after 2", "a2").awaitAck("a2");
        }
        String[] everything = {"before 1", "before 2", "written while the server was down", "after 1", "after 2"};
        assertThat(alice.messages()).hasText(everything);

        bob.page().setOffline(false);
        assertThat(bob.status()).within(BACKOFF).hasText("Online");
        assertThat(bob.log()).containsText("Reconnected — 3 missed messages recovered");
        assertThat(bob.messages()).hasText(everything);
        assertThat(alice.messages()).hasText(everything);
    }
}
