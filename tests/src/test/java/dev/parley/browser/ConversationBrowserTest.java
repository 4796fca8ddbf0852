package dev.parley.browser;

import static dev.parley.support.PageAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.BrowserTest;
import dev.parley.support.Browsers;
import dev.parley.support.ChatPage;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the web client shows a conversation, in each browser engine: web addresses as links.
 */
class ConversationBrowserTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private final String room = Rooms.fresh();

    private ChatPage user(String name) {
        return browsers.open(SERVER.webClient(room)).join(name);
    }

    /** Every link in the log: its address, rel, target and text. */
    private static final String LINKS = "() => [...document.querySelectorAll('#log a')]"
            + ".map(a => [a.getAttribute('href'), a.rel, a.target, a.textContent])";

    @BrowserTest
    void webAddressesAreLinksThatOpenApartAndNothingElseIs() {
        ChatPage alice = user("alice");
        ChatPage bob = user("bob");
        String[] sent = {
            "The notes: https://example.org/parley/notes?a=1&b=2.",
            "javascript:alert(1)",
            "<a href=\"javascript:alert(2)\">click</a> or <a href=\"https://example.org/x\">x</a>",
        };
        for (String text : sent) {
            alice.send(text);
        }
        assertThat(bob.deliveredMessages()).hasText(sent);
        assertThat(alice.deliveredMessages()).hasText(sent);

        for (ChatPage page : List.of(alice, bob)) {
            assertEquals(List.of(
                    List.of("https://example.org/parley/notes?a=1&b=2", "noopener noreferrer", "_blank",
                            "https://example.org/parley/notes?a=1&b=2"),
                    List.of("https://example.org/x", "noopener noreferrer", "_blank", "https://example.org/x")),
                    page.page().evaluate(LINKS));
            assertEquals(List.of(), page.dialogs());
        }
    }
}
