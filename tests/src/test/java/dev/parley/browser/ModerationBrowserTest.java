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
import dev.parley.support.ChatClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
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
 *
 * <p>A room of more than 3 users is large here: its member list shows the count and the first
 * 100 names, pages the rest, follows {@code presence}, and moderates a name paged in as any other.
 */
class ModerationBrowserTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_TOKEN_SECRET", TestTokens.SECRET,
            "PARLEY_TOKEN_ISSUER", TestTokens.ISSUER, "PARLEY_TOKEN_AUDIENCE", TestTokens.AUDIENCE,
            "PARLEY_PRESENCE_LIMIT", "3"));   // a room of more than 3 is large (PROTOCOL.md, "Large rooms")
    @RegisterExtension
    final Browsers browsers = new Browsers();

    /** A presence frame goes out at most a second after a change: on the page within 3 s. */
    private static final Duration PRESENCE = Duration.ofSeconds(3);

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

    /** A member on a plain WebSocket, signed in with a token. */
    private ChatClient member(String user) {
        return ChatClient.joinWithToken(SERVER.chatUri(room), TestTokens.hs256(user));
    }

    @BrowserTest
    void aLargeRoomsListShowsTheCountPagesTheRestFollowsPresenceAndModeratesANamePagedIn() {
        List<ChatClient> members = new ArrayList<>();
        try {
            for (int i = 0; i < 110; i++) {
                members.add(member(String.format("m%03d", i)));
            }
            ChatPage maya = moderator("maya");   // 111: the welcome names m000 to m099, maya sorts after them
            assertThat(maya.page().locator("#member-count")).hasText("111");
            String[] firstPage = IntStream.range(0, 100).mapToObj(i -> String.format("m%03d Moderate", i))
                    .toArray(String[]::new);
            assertThat(maya.members()).hasText(firstPage);

            maya.button("Show more members").click();
            List<String> everyone = new ArrayList<>(IntStream.range(0, 110).mapToObj(i -> String.format("m%03d Moderate", i))
                    .toList());
            everyone.add("maya (you)");
            assertThat(maya.members()).hasText(everyone.toArray(String[]::new));
            assertThat(maya.button("Show more members")).isHidden();

            maya.page().getByRole("button", "Moderate m105").click();
            maya.page().getByRole("button", "Mute m105 for 10 minutes").click();
            assertThat(maya.page().locator(".notice p").filter("m105 is muted")).hasText("m105 is muted for 10 minutes.");

            members.remove(members.size() - 1).closeNormally();   // m109 goes
            assertThat(maya.page().locator("#member-count")).within(PRESENCE).hasText("110");
            everyone.remove("m109 Moderate");
            assertThat(maya.members()).hasText(everyone.toArray(String[]::new));
            members.add(member("m200"));
            assertThat(maya.page().locator("#member-count")).within(PRESENCE).hasText("111");
            everyone.add(everyone.size() - 1, "m200 Moderate");
            assertThat(maya.members()).hasText(everyone.toArray(String[]::new));
        } finally {
            members.forEach(ChatClient::close);
        }
    }
}
