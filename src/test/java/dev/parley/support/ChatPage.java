package dev.parley.support;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One user's tab on the web client, found the way a person (or a screen reader) finds
 * things: by role and accessible name. Those names are a contract: "Your name", "Join",
 * "Message", "Send", the log, the "Members" list.
 */
public final class ChatPage {
    private final Page page;
    private final List<String> scriptErrors = new ArrayList<>();
    private final List<String> dialogs = new ArrayList<>();
    private final List<String> foreignRequests = new ArrayList<>();
    private final List<String> allowed = new ArrayList<>();
    private String origin = "";

    ChatPage(Page page) {
        this.page = page;
        page.onPageError(scriptErrors::add);
        page.onDialog(dialog -> {
            dialogs.add(dialog.type() + ": " + dialog.message());
            dialog.dismiss();
        });
        page.onRequest(request -> {
            String url = request.url();
            if (!url.startsWith(origin) && !url.startsWith("data:")) {
                foreignRequests.add(url);
            }
        });
    }

    void navigate(URI url) {
        origin = url.getScheme() + "://" + url.getRawAuthority() + "/";
        page.navigate(url.toString());
    }

    public Page page() {
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
        return page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Your name").setExact(true));
    }

    public Locator messageField() {
        return page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message").setExact(true));
    }

    /** The field for another room's name, next to "Join room". */
    public Locator roomField() {
        return page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Room").setExact(true));
    }

    /** A link whose accessible name contains {@code name} (a room link also reads out its member count). */
    public Locator link(String name) {
        return page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(name));
    }

    public Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    public Locator status() {
        return page.getByRole(AriaRole.STATUS);
    }

    public Locator log() {
        return page.getByRole(AriaRole.LOG);
    }

    /** The names in the Members list, one item each ("alice (you)" for oneself). */
    public Locator members() {
        return page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Members").setExact(true))
                .getByRole(AriaRole.LISTITEM);
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

    /** Alerts, confirms and prompts the page opened (a script the page should never have run). */
    public List<String> dialogs() {
        return List.copyOf(dialogs);
    }

    /**
     * What no page of Parley's may do: throw a script error, or fetch anything from anywhere
     * but the server that served it (no CDNs, fonts, trackers).
     */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        scriptErrors.forEach(error -> problems.add("threw " + error));
        foreignRequests.stream().filter(url -> allowed.stream().noneMatch(url::startsWith))
                .forEach(url -> problems.add("fetched " + url));
        return problems;
    }

    /** Lets the page fetch from {@code prefix} too (an operator's token URL). */
    public ChatPage allowRequestsTo(String prefix) {
        allowed.add(prefix);
        return this;
    }

    public void screenshot(Path file) {
        page.screenshot(new Page.ScreenshotOptions().setPath(file));
    }

    void close() {
        page.context().close();
    }
}
