package dev.parley.browser;

import static dev.parley.support.PageAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.BrowserTest;
import dev.parley.support.Browsers;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatPage;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The web client in each browser engine against the standalone server: one scenario per test, each in its own room. */
class WebClientBrowserTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private final String room = Rooms.fresh();

    private ChatPage user(String name) {
        return browsers.open(SERVER.webClient(room)).join(name);
    }

    @BrowserTest
    void usersWhoJoinSeeEachOtherInMembers() {
        ChatPage alice = user("alice");
        assertThat(alice.members()).hasText(new String[] {"alice (you)"});

        ChatPage bob = user("bob");
        assertThat(bob.members()).hasText(new String[] {"alice", "bob (you)"});
        assertThat(alice.members()).hasText(new String[] {"alice (you)", "bob"});
        assertThat(alice.log()).containsText("bob joined");
    }

    /** README: "open http://localhost:8080/ in two tabs, pick two names, and chat". */
    @BrowserTest
    void twoTabsOfOneBrowserPickTwoNamesAndChat() {
        ChatPage first = browsers.open(SERVER.httpUri());
        first.join("alice");
        assertThat(first.page().locator("#room-name")).hasText("lobby");

        ChatPage second = browsers.openTab(first, SERVER.httpUri());
        // the name the first tab is using is not filled in for the second
        assertThat(second.nameField()).isFocused();
        assertThat(second.nameField()).hasValue("");
        // and where it is asked for anyway, the page says it is taken and lets another be picked
        second.nameField().fill("alice");
        second.button("Join").click();
        assertThat(second.page().locator("#name-error"))
                .hasText("\"alice\" is in use in #lobby, by someone else or by you in another tab. Pick another name.");
        assertThat(second.nameField()).isFocused();
        second.join("bob");

        first.send("hello from the first tab");
        assertThat(second.deliveredMessages().last()).hasText("hello from the first tab");
        second.send("and from the second");
        assertThat(first.deliveredMessages().last()).hasText("and from the second");
        assertThat(first.members()).hasText(new String[] {"alice (you)", "bob"});
        assertThat(second.members()).hasText(new String[] {"alice", "bob (you)"});
    }

    @BrowserTest
    void aReloadJoinsAgainByItselfUnderTheSameNameInTheSameRoom() {
        ChatPage alice = user("alice");
        alice.send("before the reload");
        assertThat(alice.deliveredMessages()).hasText(new String[] {"before the reload"});

        alice.page().reload();
        assertThat(alice.status()).hasText("Online");
        assertThat(alice.page().locator("#room-name")).hasText(room);
        assertThat(alice.members()).hasText(new String[] {"alice (you)"});
        assertThat(alice.deliveredMessages()).hasText(new String[] {"before the reload"});

        // the name can be changed: back to the form, the name ready to be typed over
        alice.button("Change name").click();
        assertThat(alice.nameField()).hasValue("alice");
        assertThat(alice.nameField()).isFocused();
        alice.join("alicia");
        assertThat(alice.members()).hasText(new String[] {"alicia (you)"});

        alice.page().reload();
        assertThat(alice.status()).hasText("Online");
        assertThat(alice.members()).hasText(new String[] {"alicia (you)"});

        // after Leave a reload asks again, the name filled in
        alice.button("Leave").click();
        alice.page().reload();
        assertThat(alice.nameField()).hasValue("alicia");
        assertThat(alice.status()).hasText("Offline");
    }

    @BrowserTest
    void messagesAreSentByButtonAndByEnterAndArriveInOrder() {
        ChatPage alice = user("alice");
        ChatPage bob = user("bob");

        alice.send("sent with the button");
        alice.sendWithEnter("sent with Enter");
        // a reply: sent once bob has read both, or the server may order it between them
        assertThat(bob.deliveredMessages()).hasText(new String[] {"sent with the button", "sent with Enter"});
        bob.sendWithEnter("and a reply");

        String[] conversation = {"sent with the button", "sent with Enter", "and a reply"};
        assertThat(bob.deliveredMessages()).hasText(conversation);
        assertThat(alice.deliveredMessages()).hasText(conversation);
        assertThat(alice.messageField()).hasValue("");
        assertThat(alice.messageField()).isFocused();
    }

    @BrowserTest
    void markupInMessagesAndNamesIsShownAsTextAndNeverRuns() {
        String markup = "<img src=x onerror=\"window.pwned='img';alert(1)\"><script>window.pwned='script'</script>"
                + "<b>bold?</b>";
        ChatPage alice = user("alice");
        ChatPage eve = user("<i>eve</i>");
        eve.send(markup);

        assertThat(alice.deliveredMessages()).hasText(new String[] {markup});
        assertThat(alice.members()).hasText(new String[] {"<i>eve</i>", "alice (you)"});
        for (ChatPage page : List.of(alice, eve)) {
            assertThat(page.log().locator("img, script, b, i")).hasCount(0);
            assertEquals(null, page.page().evaluate("() => window.pwned ?? null"));
            assertEquals(List.of(), page.dialogs());
        }
    }

    @BrowserTest
    void aLateJoinerSeesTheHistory() {
        ChatPage alice = user("alice");
        alice.send("first").send("second").send("third");
        assertThat(alice.deliveredMessages()).hasText(new String[] {"first", "second", "third"});

        ChatPage bob = user("bob");
        assertThat(bob.deliveredMessages()).hasText(new String[] {"first", "second", "third"});
    }

    @BrowserTest
    void loadOlderPagesBackThroughTheHistory() {
        try (ChatClient seeder = ChatClient.join(SERVER.chatUri(room), "seeder")) {
            for (int i = 1; i <= 120; i++) {
                seeder.say("m" + i, "c" + i).awaitAck("c" + i);
            }
        }
        ChatPage alice = user("alice");
        assertThat(alice.deliveredMessages()).hasText(texts(71, 120));

        alice.button("Load older").click();
        assertThat(alice.deliveredMessages()).hasText(texts(21, 120));
        alice.button("Load older").click();
        assertThat(alice.deliveredMessages()).hasText(texts(1, 120));
        assertThat(alice.button("Load older")).isHidden();
    }

    private static String[] texts(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "m" + i).toArray(String[]::new);
    }

    @BrowserTest
    void theTypingIndicatorAppearsAndClears() {
        ChatPage alice = user("alice");
        ChatPage bob = user("bob");

        alice.messageField().pressSequentially("hel");
        assertThat(bob.typing()).hasText("alice is typing…");
        // nobody sends: it clears by itself a few seconds later
        assertThat(bob.typing()).isEmpty();

        alice.messageField().pressSequentially("lo");
        assertThat(bob.typing()).hasText("alice is typing…");
        alice.messageField().press("Enter");
        // her message clears it at once, long before it would time out
        assertThat(bob.typing()).within(Duration.ofMillis(1500)).isEmpty();
        assertThat(bob.deliveredMessages()).hasText(new String[] {"hello"});
        assertThat(alice.typing()).isEmpty();
    }

    @BrowserTest
    void aDirectMessageReachesOnlyItsTarget() {
        ChatPage alice = user("alice");
        ChatPage bob = user("bob");
        ChatPage carol = user("carol");
        assertThat(alice.members()).hasCount(3);

        alice.members().getByRole("button").filter("bob").click();
        assertThat(alice.page().getByText("Direct to bob")).isVisible();
        alice.send("just between us");
        alice.button("Cancel direct").click();
        alice.send("hello everyone");

        assertThat(bob.messages()).hasText(new String[] {"just between us", "hello everyone"});
        assertThat(bob.log().locator(".msg.direct")).containsText("alice → bob");
        assertThat(alice.messages()).hasText(new String[] {"just between us", "hello everyone"});
        // carol got the room message that alice sent after the direct one, and only that
        assertThat(carol.messages()).hasText(new String[] {"hello everyone"});
    }

    @BrowserTest
    void switchingRoomsChangesMembersAndHistory() {
        String other = Rooms.fresh();
        ChatPage alice = user("alice");
        ChatPage bob = user("bob");
        alice.send("said in the first room");
        ChatPage carol = browsers.open(SERVER.webClient(other)).join("carol");
        carol.send("said in the other room");

        alice.roomField().fill(other);
        alice.button("Join room").click();
        assertThat(alice.status()).hasText("Online");
        assertThat(alice.members()).hasText(new String[] {"alice (you)", "carol"});
        assertThat(alice.deliveredMessages()).hasText(new String[] {"said in the other room"});
        assertThat(bob.members()).hasText(new String[] {"bob (you)"});
        assertThat(carol.members()).hasText(new String[] {"alice", "carol (you)"});

        // and back, through the room list
        alice.link("#" + room).click();
        assertThat(alice.members()).hasText(new String[] {"alice (you)", "bob"});
        assertThat(alice.deliveredMessages()).hasText(new String[] {"said in the first room"});
    }

    @BrowserTest
    void theKeyboardAlone() {
        ChatPage alice = browsers.open(SERVER.webClient(room));
        assertThat(alice.nameField()).isFocused();
        alice.page().type("alice");
        alice.page().press("Tab");
        assertThat(alice.button("Join")).isFocused();
        alice.page().press("Enter");

        assertThat(alice.status()).hasText("Online");
        assertThat(alice.messageField()).isFocused();
        alice.page().type("two");
        alice.page().press("Shift+Enter");
        alice.page().type("lines");
        alice.page().press("Enter");
        assertThat(alice.deliveredMessages()).hasText(new String[] {"two\nlines"});
        assertThat(alice.messageField()).isFocused();
        alice.page().press("Tab");
        assertThat(alice.button("Send")).isFocused();
    }

    /** Also leaves target/screenshots/{chromium,firefox}-{375,1280}.png: look at them. */
    @BrowserTest
    void theLayoutFitsAPhoneAndADesktop() {
        ChatPage maya = user("maya");
        ChatPage sam = user("sam");
        maya.send("Morning! Did the release go out?");
        sam.send("It did, 0.1.0 is live. History survives restarts now.");
        maya.send("Nice. I'll tell the others.");
        ChatPage phone = browsers.open(SERVER.webClient(room), 375, 740).join("you-on-a-phone");
        ChatPage desktop = browsers.open(SERVER.webClient(room), 1280, 800).join("you-on-a-desktop");
        sam.messageField().pressSequentially("Thanks");

        for (ChatPage page : List.of(phone, desktop)) {
            int width = page.page().viewportWidth();
            assertThat(page.deliveredMessages()).hasCount(3);
            assertThat(page.typing()).hasText("sam is typing…");
            int scrollWidth = ((Number) page.page().evaluate("() => document.documentElement.scrollWidth")).intValue();
            assertTrue(scrollWidth <= width, "no sideways scrolling at " + width + " px: " + scrollWidth);
            assertThat(page.messageField()).isInViewport();
            assertThat(page.button("Send")).isInViewport();
            assertThat(page.deliveredMessages().last()).isInViewport();
            page.screenshot(Path.of("target", "screenshots", browsers.engine().label() + "-" + width + ".png"));
        }
    }

    /** The arrow beside the toggle is drawn by CSS and must not be read out as part of its name. */
    @BrowserTest
    void theSidebarToggleIsNamedWithoutItsArrow() {
        ChatPage phone = browsers.open(SERVER.webClient(room), 375, 740).join("pat");
        assertThat(phone.button("Show people & rooms")).isVisible();
        phone.button("Show people & rooms").click();
        assertThat(phone.button("Hide people & rooms")).isVisible();
    }

    /** Following the newest message survives the window getting narrower (the log reflows taller). */
    @BrowserTest
    void theConversationKeepsFollowingNewMessagesAfterTheWindowNarrows() {
        ChatPage reader = browsers.open(SERVER.webClient(room), 1280, 800).join("reader");
        try (ChatClient writer = ChatClient.join(SERVER.chatUri(room), "writer")) {
            String line = "a line long enough to wrap several times in a narrow window, ".repeat(3);
            for (int i = 1; i <= 30; i++) {
                writer.say(line + i, "c" + i).awaitAck("c" + i);
            }
            assertThat(reader.deliveredMessages()).hasCount(30);
            assertThat(reader.deliveredMessages().last()).isInViewport();

            reader.page().setViewportSize(375, 740);
            assertThat(reader.deliveredMessages().last()).isInViewport();
            for (int i = 31; i <= 33; i++) {
                writer.say(line + i, "c" + i).awaitAck("c" + i);
            }
            assertThat(reader.deliveredMessages()).hasCount(33);
            assertThat(reader.deliveredMessages().last()).isInViewport();
        }
    }
}
