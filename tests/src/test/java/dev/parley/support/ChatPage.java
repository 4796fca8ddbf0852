package dev.parley.support;

import static dev.parley.support.PageAssertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One user's tab on the web client, found the way a person (or a screen reader) finds
 * things: by role and accessible name. Those names are a contract: "Your name", "Join",
 * "Message", "Send", the log, the "Members" list. The same in every engine: the names are
 * the ones the browser itself computes.
 */
public final class ChatPage {
    private final BrowserPage page;
    private final List<String> allowed = new ArrayList<>();

    ChatPage(BrowserPage page) {
        this.page = page;
    }

    void navigate(URI url) {
        page.navigate(url);
    }

    public BrowserPage page() {
        return page;
    }

    /** Types the name, presses Join and waits until the page says it is online. */
    public ChatPage join(String name) {
        nameField().fill(name);
        button("Join").click();
        assertThat(status()).hasText("Online");
        return this;
    }

    /** Writes the text and presses Send. */
    public ChatPage send(String text) {
        messageField().fill(text);
        button("Send").click();
        return this;
    }

    /** Writes the text and presses Enter in the message field. */
    public ChatPage sendWithEnter(String text) {
        messageField().fill(text);
        messageField().press("Enter");
        return this;
    }

    public Locator nameField() {
        return page.getByRole("textbox", "Your name");
    }

    public Locator messageField() {
        return page.getByRole("textbox", "Message");
    }

    /** The field for another room's name, next to "Join room". */
    public Locator roomField() {
        return page.getByRole("textbox", "Room");
    }

    /** A link whose text contains {@code name} (a room link also reads out its member count). */
    public Locator link(String name) {
        return page.getByRole("link").filter(name);
    }

    public Locator button(String name) {
        return page.getByRole("button", name);
    }

    public Locator status() {
        return page.getByRole("status");
    }

    public Locator log() {
        return page.getByRole("log");
    }

    /** The names in the Members list, one item each ("alice (you)" for oneself). */
    public Locator members() {
        return page.getByRole("list", "Members").getByRole("listitem");
    }

    /** The text of every chat message in the log, in order, pending ones included. */
    public Locator messages() {
        return log().locator(".msg .text");
    }

    /** Messages the server has stored or delivered (not those still waiting to be sent). */
    public Locator deliveredMessages() {
        return log().locator(".msg:not(.pending) .text");
    }

    /** The line under the log that says who is typing. */
    public Locator typing() {
        return page.locator("#typing");
    }

    /** Alerts, confirms and prompts the page opened (a script the page should never have run); each was dismissed. */
    public List<String> dialogs() {
        return page.events().dialogs();
    }

    /**
     * What no page of Parley's may do: throw a script error, or fetch anything from anywhere
     * but the server that served it (no CDNs, fonts, trackers).
     */
    List<String> problems() {
        BrowserPage.Events events = page.events();
        List<String> problems = new ArrayList<>();
        events.errors().forEach(error -> problems.add("threw " + error));
        events.foreignRequests().stream().filter(url -> allowed.stream().noneMatch(url::startsWith))
                .forEach(url -> problems.add("fetched " + url));
        return problems;
    }

    /** Lets the page fetch from {@code prefix} too (an operator's token URL). */
    public ChatPage allowRequestsTo(String prefix) {
        allowed.add(prefix);
        return this;
    }

    public void screenshot(Path file) {
        page.screenshot(file);
    }

    void close() {
        page.close();
    }
}
