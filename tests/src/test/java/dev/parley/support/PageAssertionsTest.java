package dev.parley.support;

import static dev.parley.support.PageAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The browser tests' own tools, in each engine, on pages of their own (data: URLs, no server). */
class PageAssertionsTest {
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private BrowserPage page(String html) {
        return browsers.open(URI.create("data:text/html;charset=utf-8,"
                + URLEncoder.encode(html, StandardCharsets.UTF_8).replace("+", "%20"))).page();
    }

    @BrowserTest
    void aFailureSaysWhatWasExpectedAndWhatWasLastSeen() {
        BrowserPage page = page("<ul aria-label='Members'><li>alice</li><li>bob</li></ul>");
        Locator members = page.getByRole("list", "Members").getByRole("listitem");

        AssertionError failure = assertThrows(AssertionError.class,
                () -> assertThat(members).within(Duration.ofMillis(300)).hasText(new String[] {"alice"}));
        assertEquals(browsers.engine() + ": ::-p-aria([name=\"Members\"][role=\"list\"]) ::-p-aria([role=\"listitem\"]):"
                + " expected the texts [\"alice\"] within 300 ms, last seen 2 elements: [{\"text\":\"alice\"},{\"text\":\"bob\"}]",
                failure.getMessage());
    }

    @BrowserTest
    void anExpectationWaitsUntilItHolds() {
        BrowserPage page = page("<p role='status'>Connecting</p>"
                + "<script>setTimeout(() => document.querySelector('p').textContent = 'Online', 500)</script>");
        assertThat(page.getByRole("status")).hasText("Online");
        assertThat(page.getByRole("status")).not().hasText("Connecting");
    }

    @BrowserTest
    void textsAreComparedWithTheirWhiteSpaceNormalisedAndPatternsSeeThemAsTheyAre() {
        BrowserPage page = page("<p id='p'>\n  two\n  lines  </p>");
        assertThat(page.locator("#p")).hasText("two lines");
        assertThat(page.locator("#p")).hasText(Pattern.compile("two\\n +lines"));
        assertEquals(List.of("\n  two\n  lines  "), page.locator("#p").texts());
    }

    @BrowserTest
    void hiddenElementsHaveNoRoleAndAListIsScopedAsAWhole() {
        BrowserPage page = page("<p role='alert' hidden>old</p><p role='alert'>new</p>"
                + "<div role='log' aria-label='Conversation'><b>bold</b></div><i>outside</i>");
        assertThat(page.getByRole("alert")).hasText("new");
        assertThat(page.getByRole("log").locator("b, i")).hasText(new String[] {"bold"});
    }

    @BrowserTest
    void anActionWaitsForExactlyOneVisibleEnabledElement() {
        BrowserPage page = page("<button>Send</button><button>Send</button><button disabled>Join</button>");
        Duration wait = Duration.ofMillis(300);
        AssertionError twice = assertThrows(AssertionError.class, () -> page.getByRole("button", "Send").within(wait).click());
        assertEquals("click: waited 300 ms for one visible, enabled ::-p-aria([name=\"Send\"][role=\"button\"]): found 2",
                twice.getMessage());
        AssertionError disabled = assertThrows(AssertionError.class, () -> page.getByRole("button", "Join").within(wait).click());
        assertEquals("click: waited 300 ms for one visible, enabled ::-p-aria([name=\"Join\"][role=\"button\"]):"
                + " found one, disabled", disabled.getMessage());
    }
}
