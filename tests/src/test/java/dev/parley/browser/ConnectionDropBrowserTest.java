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
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A page whose connection drops, in each browser engine: the page reaches the server through
 * a {@link TcpProxy} that the test cuts (every connection dropped, new ones refused) and
 * restores. Leaves target/screenshots/reconnecting-{chromium,firefox}-375.png.
 */
class ConnectionDropBrowserTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();
    @RegisterExtension
    final Browsers browsers = new Browsers();

    /**
     * How long a page may take to be back once the proxy lets it through: longer than the
     * client's backoff cap (15 s). Firefox delays a WebSocket to a host where one failed, so
     * there the page may come back over the HTTP fallback first.
     */
    private static final Duration BACKOFF = Duration.ofSeconds(20);

    private final TcpProxy proxy = new TcpProxy(SERVER.httpUri().getPort());
    private final String room = Rooms.fresh();

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    private URI throughProxy() {
        return URI.create("http://127.0.0.1:" + proxy.port() + "/#" + room);
    }

    /** The header's controls, each wholly inside the window: none cut off at its right edge ("Leave" as "Lea"). */
    private static final String HEADER_OVERFLOW = """
            () => {
              const header = document.querySelector('header');
              const out = [];
              if (header.scrollWidth > header.clientWidth) out.push(`header scrolls: ${header.scrollWidth} > ${header.clientWidth}`);
              for (const el of header.querySelectorAll('button, .status, .brand, .room-title')) {
                const box = el.getBoundingClientRect();
                if (box.width === 0) continue;   // hidden
                if (box.left < 0 || box.right > window.innerWidth) {
                  out.push(`${el.id || el.className} from ${Math.round(box.left)} to ${Math.round(box.right)} px`);
                }
              }
              return out;
            }""";

    /**
     * A drop is said while it lasts; a reconnect that missed nothing takes the line away again
     * (no "0 missed messages" per reconnect); one that missed some says how many, in one line.
     */
    @BrowserTest
    void aReconnectThatMissedNothingLeavesNoLineAndOneThatMissedSomeSaysHowMany() {
        ChatPage alice = browsers.open(throughProxy()).join("alice");
        try (ChatClient bob = ChatClient.join(SERVER.chatUri(room), "bob")) {
            assertThat(alice.log().locator(".sys")).hasCount(1); // bob joined
            for (int drop = 1; drop <= 2; drop++) {
                proxy.cut();
                assertThat(alice.log().locator(".sys").last()).hasText("The connection was lost.");
                proxy.restore();
                assertThat(alice.status()).within(BACKOFF).hasText("Online");
                bob.say("after drop " + drop, "d" + drop).awaitAck("d" + drop);
                assertThat(alice.deliveredMessages().last()).hasText("after drop " + drop);
                assertThat(alice.log().locator(".sys")).hasCount(1);
            }

            proxy.cut();
            assertThat(alice.status()).hasText(Pattern.compile("Reconnecting in \\d+ s"));
            bob.say("said while alice was away", "w1").awaitAck("w1");
            proxy.restore();
            assertThat(alice.status()).within(BACKOFF).hasText("Online");
            assertThat(alice.deliveredMessages()).hasText(new String[] {"after drop 1", "after drop 2", "said while alice was away"});
            assertThat(alice.log().locator(".sys")).hasCount(2);
            assertThat(alice.log().locator(".sys").last()).hasText("Reconnected — 1 missed message recovered");
        }
    }

    @BrowserTest
    void whileReconnectingTheMembersListIsMarkedAsPerhapsOutOfDate() {
        ChatPage alice = browsers.open(throughProxy()).join("alice");
        try (ChatClient bob = ChatClient.join(SERVER.chatUri(room), "bob")) {
            assertThat(alice.members()).hasText(new String[] {"alice (you)", "bob"});
            assertThat(alice.page().locator("#members-note")).isHidden();

            proxy.cut();
            assertThat(alice.status()).hasText(Pattern.compile("Reconnecting in \\d+ s"));
            assertThat(alice.page().locator("#members-note")).hasText("Reconnecting: this list may be out of date.");
            assertThat(alice.page().locator("#members.stale")).hasCount(1);

            proxy.restore();
            assertThat(alice.status()).within(BACKOFF).hasText("Online");
            assertThat(alice.page().locator("#members-note")).isHidden();
            assertThat(alice.page().locator("#members.stale")).hasCount(0);
            assertThat(alice.members()).hasText(new String[] {"alice (you)", "bob"});
        }
    }

    @BrowserTest
    void atPhoneWidthTheHeaderKeepsEveryControlInTheWindowWhileReconnecting() {
        ChatPage phone = browsers.open(throughProxy(), 375, 740).join("pat");
        assertEquals(List.of(), phone.page().evaluate(HEADER_OVERFLOW), "online");

        proxy.cut();
        assertThat(phone.status()).hasText(Pattern.compile("Reconnecting in \\d+ s"));
        assertThat(phone.button("Reconnect now")).isVisible();
        assertEquals(List.of(), phone.page().evaluate(HEADER_OVERFLOW), "reconnecting");
        assertThat(phone.button("Leave")).isInViewport();
        phone.screenshot(Path.of("target", "screenshots", "reconnecting-" + browsers.engine().label() + "-375.png"));

        proxy.restore();
        assertThat(phone.status()).within(BACKOFF).hasText("Online");
        assertEquals(List.of(), phone.page().evaluate(HEADER_OVERFLOW), "online again");
    }
}
