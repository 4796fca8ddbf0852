package dev.parley.browser;

import static dev.parley.support.PageAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.admin.AdminCases;
import dev.parley.support.BrowserPage;
import dev.parley.support.BrowserTest;
import dev.parley.support.Browsers;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatPage;
import dev.parley.support.Locator;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin view in each browser engine: its token, live charts, the rooms table, and a member disconnected from a live chat. */
class AdminViewBrowserTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_ADMIN_TOKEN", AdminCases.TOKEN));
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private BrowserPage admin() {
        return admin(1280, 800);
    }

    private BrowserPage admin(int width, int height) {
        return browsers.open(SERVER.httpUri().resolve("/admin/"), width, height).page();
    }

    private static void signIn(BrowserPage page, String token) {
        page.getByLabel("Admin token").fill(token);
        page.getByRole("button", "Sign in").click();
    }

    @BrowserTest
    void aWrongTokenIsRefusedAndTheDashboardStaysHidden() {
        BrowserPage page = admin();
        signIn(page, "not-the-token-at-all-000");
        assertThat(page.locator("#sign-in-error")).hasText("That token is not this node's.");
        assertThat(page.locator("#dashboard")).isHidden();
    }

    /** Every part of the rooms table, its buttons armed or not, inside its card: nothing spills out or scrolls sideways. */
    private static final String SPILLS = """
            () => {
              const card = document.getElementById('rooms').closest('.card').getBoundingClientRect();
              const out = [];
              if (document.documentElement.scrollWidth > window.innerWidth) {
                out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px`);
              }
              for (const el of document.querySelectorAll('#rooms, #rooms th, #rooms td, #rooms li, #rooms button')) {
                const box = el.getBoundingClientRect();
                if (box.width > 0 && (box.left < card.left || box.right > card.right)) {
                  out.push(`${el.tagName.toLowerCase()} "${el.textContent.trim()}": ${Math.round(box.left)} to ${Math.round(box.right)} px,`
                    + ` the card ${Math.round(card.left)} to ${Math.round(card.right)} px`);
                }
              }
              return out;
            }""";

    /** Also leaves target/screenshots/admin-view-{chromium,firefox}-375.png. */
    @BrowserTest
    void atPhoneWidthTheRoomsTableStaysInsideItsCard() {
        String room = "a-room-with-a-rather-long-name-" + Rooms.fresh();
        try (ChatClient ann = ChatClient.join(SERVER.chatUri(room), "annabelle-from-accounting");
                ChatClient bob = ChatClient.join(SERVER.chatUri(room), "bob")) {
            BrowserPage page = admin(375, 740);
            signIn(page, AdminCases.TOKEN);
            Locator row = page.locator("tr[data-room='" + room + "']");
            assertThat(row.locator(".member > span")).hasText(new String[] {"annabelle-from-accounting", "bob"});
            assertEquals(List.of(), page.evaluate(SPILLS));

            row.locator(".actions button").click();
            assertThat(row.locator(".actions button")).hasText("Confirm close room");
            assertEquals(List.of(), page.evaluate(SPILLS), "with Close room armed");
            page.screenshot(Path.of("target", "screenshots", "admin-view-" + browsers.engine().label() + "-375.png"), true);
        }
    }

    /** Also leaves target/screenshots/admin-view.png: look at it. */
    @BrowserTest
    void anAdministratorSeesTheChatAndRemovesAMemberWhoseClientSaysSo() {
        String room = Rooms.fresh();
        ChatPage bob = browsers.open(SERVER.webClient(room)).join("bob");
        try (ChatClient ann = ChatClient.join(SERVER.chatUri(room), "ann")) {
            for (int i = 1; i <= 20; i++) {
                ann.say("message " + i, "c" + i).awaitAck("c" + i);
            }
            BrowserPage page = admin();
            signIn(page, AdminCases.TOKEN);
            assertThat(page.locator("#dashboard")).isVisible();
            Locator row = page.locator("tr[data-room='" + room + "']");
            assertThat(row.locator(".member > span")).hasText(new String[] {"ann", "bob"});
            assertThat(page.locator("#status")).hasText(Pattern.compile("Updated .*"));
            assertThat(page.locator("#now-connections")).not().hasText("–");
            // every chart drew its line: some pixels of the accent colour on each canvas
            for (String chart : new String[] {"connections", "messages", "deliveries", "p99"}) {
                Object drawn = page.evaluate("id => { const c = document.getElementById(id);"
                        + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }", "chart-" + chart);
                assertTrue(((Number) drawn).intValue() > 500, chart + " chart drew " + drawn + " pixels");
            }
            page.screenshot(Path.of("target", "screenshots", "admin-view-" + browsers.engine().label() + ".png"), true);

            Locator disconnect = row.getByRole("button", "Disconnect bob");
            disconnect.click();
            row.getByRole("button", "Confirm: Disconnect bob").click();
            assertThat(page.locator("#action-result")).hasText("Disconnected bob (this node).");
            assertThat(row.locator(".member > span")).hasText(new String[] {"ann"});

            assertEquals("bob", ann.nextOf("left").getString("user"));
            assertThat(bob.page().getByRole("alert")).containsText("An administrator removed you from this room.");
            assertThat(bob.status()).hasText("Offline");
            // out of the room, bob's page lists nobody in it, and says why
            assertThat(bob.members()).hasCount(0);
            assertThat(bob.page().locator("#members-note")).hasText("You are not in #" + room + " any more.");
        }
    }
}
