package dev.parley.support;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Duration;
import java.util.List;

/**
 * Elements of a page, found again at each use (like Playwright's locators): a selector,
 * optionally kept to those whose text contains {@code hasText}, then to one of them by
 * index. Actions wait for exactly one such element, visible and enabled, then act;
 * {@link PageAssertions} reads them until an expectation holds.
 */
public final class Locator {
    private final BrowserPage page;
    private final String selector;
    private final String hasText;
    private final Integer nth;
    private final Duration timeout;

    Locator(BrowserPage page, String selector, String hasText, Integer nth) {
        this(page, selector, hasText, nth, ChatClient.TIMEOUT);
    }

    private Locator(BrowserPage page, String selector, String hasText, Integer nth, Duration timeout) {
        this.page = page;
        this.selector = selector;
        this.hasText = hasText;
        this.nth = nth;
        this.timeout = timeout;
    }

    /** The same elements, whose actions wait this long for them (not {@link ChatClient#TIMEOUT}). */
    public Locator within(Duration timeout) {
        return new Locator(page, selector, hasText, nth, timeout);
    }

    /** The selector for elements of a role with exactly that accessible name (any name when null). */
    static String aria(String role, String name) {
        return "::-p-aria(" + (name == null ? "" : "[name=" + Json.createValue(name) + "]")
                + "[role=" + Json.createValue(role) + "])";
    }

    /** Descendants matching the CSS selector. */
    public Locator locator(String css) {
        return descendants(css);
    }

    /** Descendants of the role with exactly that accessible name. */
    public Locator getByRole(String role, String name) {
        return descendants(aria(role, name));
    }

    public Locator getByRole(String role) {
        return descendants(aria(role, null));
    }

    /** Only those whose text (normalised for white space) contains {@code text}. */
    public Locator filter(String text) {
        if (hasText != null || nth != null) {
            throw new IllegalStateException("one text filter, before last(): " + this);
        }
        return new Locator(page, selector, text, null, timeout);
    }

    public Locator last() {
        return new Locator(page, selector, hasText, -1, timeout);
    }

    private Locator descendants(String inner) {
        if (hasText != null || nth != null) {
            throw new IllegalStateException("descendants of a filtered locator cannot be named by one selector: " + this);
        }
        // a list (img, b) is scoped as a whole: without :is() only its first selector would be
        return new Locator(page, selector + " " + (inner.contains(",") ? ":is(" + inner + ")" : inner), null, null, timeout);
    }

    public void click() {
        act("click", args());
    }

    /** Replaces the field's value, as a paste would (one input event, no keys). */
    public void fill(String value) {
        act("fill", args().add("value", value));
    }

    /** Focuses the element and presses the key ("Enter", "Shift+Enter"). */
    public void press(String key) {
        act("press", args().add("key", key));
    }

    /** Focuses the element and types the text a key at a time. */
    public void pressSequentially(String text) {
        act("type", args().add("text", text));
    }

    /** The state of every element it names now, with the fields asked for: text, value, focused, visible, inViewport. */
    List<JsonObject> read(List<String> fields) {
        JsonArray states = (JsonArray) page.call("query", args().add("fields", Json.createArrayBuilder(fields)));
        return states.getValuesAs(JsonObject.class);
    }

    /** Texts now, as the page has them (not normalised). */
    public List<String> texts() {
        return read(List.of("text")).stream().map(state -> state.getString("text")).toList();
    }

    public int count() {
        return read(List.of()).size();
    }

    private void act(String command, JsonObjectBuilder args) {
        page.call(command, args.add("timeout", timeout.toMillis()), timeout);
    }

    private JsonObjectBuilder args() {
        JsonObjectBuilder args = page.args().add("selector", selector);
        if (hasText != null) {
            args.add("hasText", hasText);
        }
        if (nth != null) {
            args.add("nth", nth);
        }
        return args;
    }

    public BrowserPage page() {
        return page;
    }

    @Override
    public String toString() {
        return selector + (hasText == null ? "" : " with text " + Json.createValue(hasText))
                + (nth == null ? "" : " (the last)");
    }
}
