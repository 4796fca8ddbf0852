package dev.parley.browser;

import static dev.parley.support.PageAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.BrowserTest;
import dev.parley.support.Browsers;
import dev.parley.support.ChatPage;
import dev.parley.support.Locator;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The room's log of protocol 1.1 in the web client, in each browser engine: a message edited,
 * deleted, reacted to and replied to in one tab, as another person's tab shows it; a message
 * whose ack was lost, sent again with its cid and seen once; read positions as unread counts in
 * the rooms list and the "new messages" divider. Everything is found as a
 * person finds it, by role and accessible name: "Edit your message", "Delete alice's message",
 * "React to alice's message", "React with 👍", a reaction's "👍 2: alice, bob", "Reply to alice".
 *
 * <p>Needs the server side of protocol 1.1 (PROTOCOL.md "Version 1.1 additions"): a welcome with
 * {@code "protocol": "1.1"} and {@code read}, the {@code edit}, {@code delete}, {@code react} and
 * {@code read} frames, {@code reply_to}, {@code unread} in {@code rooms}, and {@code "dup": true}.
 */
class LogBrowserTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private final String room = Rooms.fresh();

    private ChatPage user(String name) {
        return browsers.open(SERVER.webClient(room)).join(name);
    }

    /** The seq of the (one) message in the page's log with this text. */
    private static long seqOf(ChatPage page, String text) {
        assertThat(page.deliveredMessages().filter(text)).hasCount(1);
        Object seq = page.page().evaluate("text => [...document.querySelectorAll('#log-items .msg[data-seq]')]"
                + ".filter(m => m.querySelector('.text').textContent === text).map(m => Number(m.dataset.seq))[0] ?? null", text);
        return ((Number) seq).longValue();
    }

    /** The message with that seq in the page's log. */
    private static Locator message(ChatPage page, long seq) {
        return page.page().locator("#log-items .msg[data-seq=\"" + seq + "\"]");
    }

    /** Sends the text and waits until the server has broadcast it back; its seq. */
    private static long said(ChatPage page, String text) {
        page.send(text);
        return seqOf(page, text);
    }

    @BrowserTest
    void anEditShowsInTheOtherTabMarkedEditedAndEscapeCancelsOne() {
        ChatPage alice = user("alice");
        ChatPage bob = user("bob");
        long seq = said(alice, "see you at 5");
        assertThat(message(bob, seq).locator(".text")).hasText("see you at 5");
        assertEquals(0, message(bob, seq).getByRole("button", "Edit alice's message").count(), "only the author edits");

        message(alice, seq).getByRole("button", "Edit your message").click();
        Locator editor = alice.page().getByRole("textbox", "Edit message");
        assertThat(editor).isFocused();
        assertThat(editor).hasValue("see you at 5");
        editor.fill("see you at 6");
        editor.press("Enter");

        assertThat(message(bob, seq).locator(".text")).hasText("see you at 6");
        assertThat(message(bob, seq).locator(".edited")).hasText("edited");
        assertThat(message(alice, seq).locator(".text")).hasText("see you at 6");
        assertThat(message(alice, seq).locator(".edited")).hasText("edited");

        // Escape leaves the message as it was, and the focus back on Edit
        message(alice, seq).getByRole("button", "Edit your message").click();
        editor.fill("never mind");
        editor.press("Escape");
        assertThat(editor).isHidden();
        assertThat(message(alice, seq).getByRole("button", "Edit your message")).isFocused();
        assertThat(message(alice, seq).locator(".text")).hasText("see you at 6");
        assertThat(message(bob, seq).locator(".text")).hasText("see you at 6");
    }

    @BrowserTest
    void aDeleteIsAskedFirstAndLeavesAMutedLineForEveryone() {
        ChatPage alice = user("alice");
        ChatPage bob = user("bob");
        long oops = said(alice, "my password is hunter2");
        long kept = said(alice, "the next one stays");
        assertThat(message(bob, kept).locator(".text")).hasText("the next one stays");
        assertEquals(0, message(bob, oops).getByRole("button", "Delete alice's message").count(),
                "only the author (or a moderator) deletes");

        message(alice, oops).getByRole("button", "Delete your message").click();
        message(alice, oops).getByRole("button", "Cancel").click();
        assertThat(message(alice, oops).locator(".text")).hasText("my password is hunter2");

        message(alice, oops).getByRole("button", "Delete your message").click();
        message(alice, oops).getByRole("button", "Delete").click();
        for (ChatPage page : List.of(alice, bob)) {
            assertThat(message(page, oops).locator(".text")).hasText("message deleted");
            assertThat(page.page().locator("#log-items .msg.deleted")).hasCount(1);
            assertThat(message(page, kept).locator(".text")).hasText("the next one stays");
            assertEquals(0, message(page, oops).getByRole("button").count(), "a deleted message has no controls");
        }
        assertEquals(List.of(), alice.page().evaluate("() => [...document.querySelectorAll('#log')]"
                + ".filter(l => l.textContent.includes('hunter2')).map(l => l.id)"));
    }

    @BrowserTest
    void reactionsAreCountedUnderTheMessageAndSayWhoReacted() {
        ChatPage alice = user("alice");
        ChatPage bob = user("bob");
        long seq = said(alice, "lunch at noon?");
        assertThat(message(bob, seq).locator(".text")).hasText("lunch at noon?");

        message(bob, seq).getByRole("button", "React to alice's message").click();
        assertThat(message(bob, seq).getByRole("button", "React with 👍")).isFocused();
        message(bob, seq).getByRole("button", "React with 👍").click();
        assertThat(message(alice, seq).getByRole("button", "👍 1: bob")).hasText("👍 1");

        // pressing a count adds one's own; pressing it again takes it back (a name with a comma is
        // looked for in the whole page: the locator cannot scope it to the message)
        message(alice, seq).getByRole("button", "👍 1: bob").click();
        assertThat(bob.page().getByRole("button", "👍 2: alice, bob")).hasText("👍 2");
        assertThat(alice.page().getByRole("button", "👍 2: alice, bob")).hasText("👍 2");
        bob.page().getByRole("button", "👍 2: alice, bob").click();
        assertThat(message(alice, seq).getByRole("button", "👍 1: alice")).hasText("👍 1");
        assertEquals(List.of("true"), alice.page().evaluate("() => [...document.querySelectorAll('.reaction')]"
                + ".map(b => b.getAttribute('aria-pressed'))"), "alice's own reaction is shown pressed");

        // the picker is a keyboard's too: Escape closes it, the focus back on React
        message(alice, seq).getByRole("button", "React to your message").click();
        alice.page().press("Escape");
        assertThat(message(alice, seq).getByRole("button", "React with 😂")).isHidden();
        assertThat(message(alice, seq).getByRole("button", "React to your message")).isFocused();
    }

    @BrowserTest
    void aReplyQuotesItsOriginalAndLeadsBackToIt() {
        ChatPage alice = user("alice");
        ChatPage bob = user("bob");
        long question = said(alice, "Who reviews the release notes before Friday?");
        for (int i = 1; i <= 3; i++) {
            said(alice, ("filler " + i + "\n").repeat(12).strip());
        }
        assertThat(message(bob, question).locator(".text")).hasText("Who reviews the release notes before Friday?");

        message(bob, question).getByRole("button", "Reply to alice").click();
        assertThat(bob.page().locator("#reply-chip"))
                .hasText("Replying to alice: Who reviews the release notes before Friday? ×");
        assertThat(bob.messageField()).isFocused();
        long answer = said(bob, "I do");

        String quote = "In reply to alice: Who reviews the release notes before Friday? (show the original)";
        assertThat(bob.page().locator("#reply-chip")).isHidden();
        assertThat(message(alice, answer).getByRole("button", quote))
                .hasText("alice Who reviews the release notes before Friday?");
        assertThat(message(alice, question)).not().isInViewport();
        message(alice, answer).getByRole("button", quote).click();
        assertThat(message(alice, question)).isInViewport();
        assertThat(message(alice, question)).isFocused();
    }

    /**
     * The page drops its WebSocket right after a message went out, before the ack can arrive; the
     * server has stored it. After the reconnect the page sends it again with the same cid, the
     * server answers {@code "dup": true}, and everyone sees it once.
     */
    private static final String DROP_AFTER_NEXT_MESSAGE = """
            () => {
              window.sentMessages = [];
              const send = WebSocket.prototype.send;
              let drop = true;
              WebSocket.prototype.send = function (data) {
                send.call(this, data);
                const frame = JSON.parse(data);
                if (frame.type !== 'message') return;
                window.sentMessages.push(frame.cid);
                if (drop) { drop = false; this.close(); }
              };
            }""";

    @BrowserTest
    void aMessageWhoseAckWasLostIsSentAgainWithItsCidAndSeenOnce() {
        ChatPage alice = user("alice");
        ChatPage bob = user("bob");
        alice.page().evaluate(DROP_AFTER_NEXT_MESSAGE);
        alice.send("only once, please");
        assertThat(bob.deliveredMessages()).hasText(new String[] {"only once, please"});
        assertThat(alice.status()).hasText("Online");
        assertThat(alice.deliveredMessages()).hasText(new String[] {"only once, please"});
        assertThat(alice.messages()).hasText(new String[] {"only once, please"});
        @SuppressWarnings("unchecked")
        List<String> cids = (List<String>) alice.page().evaluate("() => window.sentMessages");
        assertEquals(2, cids.size(), "sent, and sent again after the reconnect: " + cids);
        assertEquals(cids.get(0), cids.get(1), "with the same cid");
        assertThat(bob.deliveredMessages()).hasText(new String[] {"only once, please"});
    }

    @BrowserTest
    void whatWasNotReadIsCountedInTheRoomsListAndMarkedByADivider() {
        String other = Rooms.fresh();
        ChatPage alice = user("alice");
        ChatPage bob = user("bob");
        said(alice, "first");
        // bob sees it: alice's page says so once the server has his read position
        assertThat(alice.page().locator(".seen-by")).hasText("Seen by bob");

        bob.roomField().fill(other);
        bob.button("Join room").click();
        assertThat(bob.page().locator("#room-name")).hasText(other);
        assertThat(bob.status()).hasText("Online");
        said(alice, "second");
        said(alice, "third");
        // someone joining bob's room has his page ask for the rooms again
        browsers.open(SERVER.webClient(other)).join("carol");
        assertThat(bob.link("#" + room)).containsText("2 unread");

        bob.link("#" + room).click();
        assertThat(bob.status()).hasText("Online");
        assertThat(bob.page().locator("#log-items .unread-line")).hasText("New messages");
        assertThat(bob.page().locator("#log-items .unread-line + .msg .text")).hasText("second");
        assertThat(bob.link("#" + other)).not().containsText("unread");
    }
}
