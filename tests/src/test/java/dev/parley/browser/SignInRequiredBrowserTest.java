package dev.parley.browser;

import static dev.parley.support.PageAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.parley.support.BrowserTest;
import dev.parley.support.Browsers;
import dev.parley.support.ChatPage;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import dev.parley.support.TestTokens;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Identity on and no token URL, in each browser engine: only the application that links to
 * the chat can sign a user in (with a token in the link's fragment). A page opened without
 * one says so, and offers no name to pick and no Join that cannot work.
 */
class SignInRequiredBrowserTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_TOKEN_SECRET", TestTokens.SECRET,
            "PARLEY_TOKEN_ISSUER", TestTokens.ISSUER, "PARLEY_TOKEN_AUDIENCE", TestTokens.AUDIENCE));
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private final String room = Rooms.fresh();

    @BrowserTest
    void withoutATokenThePageSaysHowToSignInAndHasNoJoin() {
        ChatPage page = browsers.open(SERVER.webClient(room));
        assertThat(page.page().locator("#join-card h1")).hasText("Sign in to join #" + room);
        assertThat(page.page().locator("#join-card")).containsText("Open the chat from the application that links here");
        assertThat(page.button("Join")).isHidden();
        assertThat(page.nameField()).isHidden();
        assertThat(page.status()).hasText("Offline");

        // the application's link, followed in this tab: signed in and in the room
        page.page().evaluate("fragment => { location.hash = fragment; }", room + "&token=" + TestTokens.hs256("carol"));
        assertThat(page.status()).hasText("Online");
        assertThat(page.page().locator("#me-name")).hasText("Signed in as carol");
        assertFalse(page.page().url().contains("token"), page.page().url());
    }
}
