package dev.parley.support;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One page in its own window and browser context (cookies, storage: one person), in one
 * engine, through the {@link BrowserDriver}. Elements are found with {@link #getByRole}
 * (the accessible name as the browser computes it), {@link #getByText} or CSS
 * ({@link #locator}).
 */
public final class BrowserPage {
    private final BrowserDriver driver;
    private final String id;
    private final Engine engine;
    private int width;
    private int height;

    BrowserPage(BrowserDriver driver, Engine engine, int width, int height) {
        this(driver, engine, width, height, null);
    }

    /** With {@code sameAs}: another tab of that page's person (cookies and localStorage shared, sessionStorage not). */
    BrowserPage(BrowserDriver driver, Engine engine, int width, int height, BrowserPage sameAs) {
        this.driver = driver;
        this.engine = engine;
        this.width = width;
        this.height = height;
        JsonObjectBuilder args = Json.createObjectBuilder().add("engine", engine.label()).add("width", width).add("height", height);
        if (sameAs != null) {
            args.add("sameAs", sameAs.id);
        }
        this.id = ((JsonString) driver.call("newPage", args, ChatClient.TIMEOUT)).getString();
    }

    public Engine engine() {
        return engine;
    }

    /** Goes to the address and waits for the page to load; requests to any other origin are then foreign. */
    public void navigate(URI url) {
        call("goto", args().add("url", url.toString()));
    }

    public String url() {
        return ((JsonString) call("url", args())).getString();
    }

    /** Reloads the page, as F5 does, and waits for it to load. */
    public void reload() {
        call("reload", args());
    }

    /** Elements by CSS, or any selector puppeteer takes. */
    public Locator locator(String selector) {
        return new Locator(this, selector, null, null);
    }

    /** Elements of the ARIA role whose accessible name is exactly {@code name}, hidden ones left out. */
    public Locator getByRole(String role, String name) {
        return locator(Locator.aria(role, name));
    }

    /** Elements of the ARIA role, hidden ones left out. */
    public Locator getByRole(String role) {
        return locator(Locator.aria(role, null));
    }

    /** The form controls labelled exactly {@code label} (by a label element or aria-label). */
    public Locator getByLabel(String label) {
        return locator("::-p-label(" + Json.createValue(label) + ")");
    }

    /** The smallest elements whose text contains {@code text}. */
    public Locator getByText(String text) {
        return locator("::-p-text(" + Json.createValue(text) + ")");
    }

    /** Presses a key ("Enter", "Tab", "Shift+Enter") where the focus is. */
    public void press(String key) {
        call("keyboard", args().add("press", key));
    }

    /** Types the text a key at a time where the focus is. */
    public void type(String text) {
        call("keyboard", args().add("type", text));
    }

    /**
     * Calls the function (its JavaScript source) in the page with {@code arg}; returns a
     * String, Number, Boolean, List or null.
     */
    public Object evaluate(String function, String arg) {
        JsonObjectBuilder args = args().add("fn", function);
        if (arg != null) {
            args.add("arg", arg);
        }
        return plain(call("evaluate", args));
    }

    public Object evaluate(String function) {
        return evaluate(function, null);
    }

    public void setViewportSize(int width, int height) {
        call("viewport", args().add("width", width).add("height", height));
        this.width = width;
        this.height = height;
    }

    public int viewportWidth() {
        return width;
    }

    public int viewportHeight() {
        return height;
    }

    public void screenshot(Path file) {
        screenshot(file, false);
    }

    public void screenshot(Path file, boolean fullPage) {
        call("screenshot", args().add("path", file.toAbsolutePath().toString()).add("fullPage", fullPage));
    }

    /** Cuts the page off the network (or gives it back): new connections fail, as with no network at all. */
    public void setOffline(boolean offline) {
        call("offline", args().add("offline", offline));
    }

    /** A cookie in this person's cookie jar. */
    public void addCookie(String name, String value, String domain, String path) {
        call("cookie", args().add("name", name).add("value", value).add("domain", domain).add("path", path));
    }

    /** What the page did that a test may forbid: script errors, dialogs (each dismissed), requests to other origins. */
    record Events(List<String> errors, List<String> dialogs, List<String> foreignRequests) {
    }

    Events events() {
        JsonObject events = (JsonObject) call("events", args());
        return new Events(strings(events.getJsonArray("errors")), strings(events.getJsonArray("dialogs")),
                strings(events.getJsonArray("foreign")));
    }

    void close() {
        call("close", args());
    }

    JsonValue call(String command, JsonObjectBuilder args) {
        return call(command, args, ChatClient.TIMEOUT);
    }

    JsonValue call(String command, JsonObjectBuilder args, Duration timeout) {
        return driver.call(command, args, timeout);
    }

    JsonObjectBuilder args() {
        return Json.createObjectBuilder().add("page", id);
    }

    private static List<String> strings(JsonArray array) {
        return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    private static Object plain(JsonValue value) {
        return switch (value.getValueType()) {
            case NULL -> null;
            case TRUE -> true;
            case FALSE -> false;
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> ((JsonNumber) value).isIntegral() ? (Object) ((JsonNumber) value).longValue()
                    : (Object) ((JsonNumber) value).doubleValue();
            case ARRAY -> value.asJsonArray().stream().map(BrowserPage::plain).toList();
            case OBJECT -> value.toString();
        };
    }

    @Override
    public String toString() {
        return engine.label() + " page " + id;
    }
}
