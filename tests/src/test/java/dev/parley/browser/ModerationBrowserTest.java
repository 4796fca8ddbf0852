package dev.parley.browser;

import static dev.parley.support.PageAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.BrowserTest;
import dev.parley.support.Browsers;
import dev.parley.support.ChatPage;
import dev.parley.support.Locator;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import dev.parley.support.TestTokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A moderator in the web client, in each browser engine (PROTOCOL.md 1.1, "Moderators"): with
 * identity on, a token whose {@code mod} claim names the room makes its user a moderator there
 * (the welcome says {@code "moderator": true}), who may delete anyone's message and mute or ban
 * a member from the member list; the member's page says what happened in words.
 *
 * <p>Needs the server side of protocol 1.1: {@code moderator} in the welcome, {@code delete} by a
 * moderator, {@code mute} and {@code ban} with their {@code forbidden} errors and the close 1008
 * "banned".
 */
class ModerationBrowserTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_TOKEN_SECRET", TestTokens.SECRET,
            "PARLEY_TOKEN_ISSUER", TestTokens.ISSUER, "PARLEY_TOKEN_AUDIENCE", TestTokens.AUDIENCE));
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private final String room = Rooms.fresh();

    private ChatPage signedIn(String token) {
        ChatPage page = browsers.open(SERVER.webClient(room + "&token=" + token));
        assertThat(page.status()).hasText("Online");
        return page;
    }

    private ChatPage moderator(String user) {
        return signedIn(TestTokens.hs256(TestTokens.claims(user).claim("mod", List.of(room))));
    }

    /** The message in the page's log with this text, once the server has broadcast it. */
    private static Locator message(ChatPage page, String text) {
        assertThat(page.deliveredMessages().filter(text)).hasCount(1);
        Object seq = page.page().evaluate("text => [...document.querySelectorAll('#log-items .msg[data-seq]')]"
                + ".filter(m => m.querySelector('.text').textContent === text).map(m => m.dataset.seq)[0] ?? null", text);
        return page.page().locator("#log-items .msg[data-seq=\"" + seq + "\"]");
    }

    @BrowserTest
    void aModeratorDeletesAnyonesMessageAndOnlyAModeratorCan() {
        ChatPage maya = moderator("maya");
        ChatPage bob = signedIn(TestTokens.hs256("bob"));
        bob.send("cheap watches at example.org");
        Locator spam = message(maya, "cheap watches at example.org");
        Locator seenByBob = message(bob, "cheap watches at example.org");
        maya.send("welcome, everyone");
        Locator mayas = message(bob, "welcome, everyone");
        assertEquals(0, mayas.getByRole("button", "Delete maya's message").count(), "bob moderates nothing");
        assertEquals(0, bob.page().getByRole("button", "Moderate maya").count());

        spam.getByRole("button", "Delete bob's message").click();
        spam.getByRole("button", "Delete").click();
        assertThat(seenByBob.locator(".text")).hasText("message deleted");
        assertThat(spam.locator(".text")).hasText("message deleted");
    }

    @BrowserTest
    void aMutedMemberIsToldWhyTheMessageFailedAndABannedOneIsPutOut() {
        ChatPage maya = moderator("maya");
        ChatPage bob = signedIn(TestTokens.hs256("bob"));
        assertThat(maya.members()).hasText(new String[] {"bob Moderate", "maya (you)"});

        maya.page().getByRole("button", "Moderate bob").click();
        maya.page().getByRole("button", "Mute bob for 10 minutes").click();
        assertThat(maya.page().locator(".notice p").filter("bob is muted")).hasText("bob is muted for 10 minutes.");
        bob.send("can anyone hear me?");
        assertThat(bob.log().locator(".msg.failed .state")).containsText("You are not allowed to send messages here.");

        maya.page().getByRole("button", "Moderate bob").click();
        maya.page().getByRole("button", "Ban bob…").click();
        maya.page().getByRole("button", "Ban bob for a day").click();
        assertThat(bob.page().locator(".notice p").filter("A moderator banned you from this room.")).isVisible();
        assertThat(maya.members()).hasText(new String[] {"maya (you)"});
        assertThat(bob.status()).not().hasText("Online");
    }
}
