package dev.parley.browser;

import static dev.parley.support.PageAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.BrowserTest;
import dev.parley.support.Browsers;
import dev.parley.support.ChatPage;
import dev.parley.support.Engine;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the web client shows a conversation, in each browser engine: web addresses as links, a
 * divider where a day begins, one sender's messages a few minutes apart under one name. The
 * server keeps history in an H2 database in this JVM's memory, so that a test can write
 * yesterday's messages into it. Leaves tests/target/screenshots/readme.png (Chromium), the README's
 * picture, and readme-firefox.png.
 */
class ConversationBrowserTest {
    private static final String DATABASE = "jdbc:h2:mem:parley-conversation;DB_CLOSE_DELAY=-1";

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_JDBC_URL", DATABASE));
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private final String room = Rooms.fresh();

    private ChatPage user(String name) {
        return browsers.open(SERVER.webClient(room)).join(name);
    }

    /** Something said at a time of the test's choosing. */
    private record Said(String user, String text, LocalDateTime at) {
    }

    /** Writes a fresh room's history straight into the store, as the server would have: seqs from 1. */
    private static void history(String room, Said... messages) {
        try (Connection db = DriverManager.getConnection(DATABASE);
                PreparedStatement message = db.prepareStatement(
                        "insert into parley_message (room, seq, username, body, ts) values (?, ?, ?, ?, ?)");
                PreparedStatement sequence = db.prepareStatement("insert into parley_room (room, last_seq) values (?, ?)")) {
            for (int i = 0; i < messages.length; i++) {
                message.setString(1, room);
                message.setLong(2, i + 1);
                message.setString(3, messages[i].user());
                message.setBytes(4, messages[i].text().getBytes(StandardCharsets.UTF_8));
                message.setLong(5, messages[i].at().atZone(ZoneId.systemDefault()).toInstant().toEpochMilli());
                message.executeUpdate();
            }
            sequence.setString(1, room);
            sequence.setLong(2, messages.length);
            sequence.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError("cannot write the history of #" + room, e);
        }
    }

    /**
     * The log as it is laid out: "— Yesterday —" for a day's divider, "sam: text" for a message
     * under its sender's name, "+ text" for one that runs on from the one before, "· text" for a
     * line about presence or the connection (without its time).
     */
    private static final String LAYOUT = """
            () => [...document.getElementById('log-items').children].map(el =>
              el.classList.contains('day') ? `— ${el.textContent} —`
              : el.classList.contains('sys') ? `· ${el.firstElementChild.textContent}`
              : el.classList.contains('runs-on') ? `+ ${el.querySelector('.text').textContent}`
              : `${el.querySelector('.author').textContent}: ${el.querySelector('.text').textContent}`)""";

    /** Also leaves the README's picture: two people chatting at 1280 px, yesterday and today. */
    @BrowserTest
    void theConversationIsLaidOutInDaysAndRunsOfOneSender() {
        // The README's picture is of #lobby, where http://localhost:8080/ opens; each engine has a room of its own here.
        String lobby = browsers.engine() == Engine.CHROMIUM ? "lobby" : "lobby-" + browsers.engine().label();
        LocalDateTime yesterday = LocalDate.now().minusDays(1).atTime(17, 2);
        history(lobby,
                new Said("sam", "Is the 0.4 build ready for a last look?", yesterday),
                new Said("maya", "Almost. The Maven modules are in and every test is green.", yesterday.plusMinutes(3)),
                new Said("maya", "I'll tag it first thing tomorrow.", yesterday.plusMinutes(4)));
        ChatPage maya = browsers.open(SERVER.webClient(lobby), 1280, 800).join("maya");
        ChatPage sam = browsers.open(SERVER.webClient(lobby), 1280, 800).join("sam");
        sam.send("Morning! Tagged and pushed: https://example.org/parley/releases/0.4.0");
        sam.send("The notes cover the new modules and the admin view.");
        // each reply once the message before it was read, or the server may rightly order it first
        assertThat(maya.deliveredMessages().last()).hasText("The notes cover the new modules and the admin view.");
        maya.send("Great, I'll tell the others.");
        maya.send("Coffee later, to celebrate?");
        assertThat(sam.deliveredMessages().last()).hasText("Coffee later, to celebrate?");

        String[] yesterdays = {
            "— Yesterday —",
            "sam: Is the 0.4 build ready for a last look?",
            "maya: Almost. The Maven modules are in and every test is green.",
            "+ I'll tag it first thing tomorrow.",
            "— Today —",
        };
        String[] todays = {
            "sam: Morning! Tagged and pushed: https://example.org/parley/releases/0.4.0",
            "+ The notes cover the new modules and the admin view.",
            "maya: Great, I'll tell the others.",
            "+ Coffee later, to celebrate?",
        };
        List<String> seenByMaya = new ArrayList<>(List.of(yesterdays));
        seenByMaya.add("· sam joined");
        seenByMaya.addAll(List.of(todays));
        List<String> seenBySam = new ArrayList<>(List.of(yesterdays));
        seenBySam.addAll(List.of(todays));
        assertEquals(seenByMaya, maya.page().evaluate(LAYOUT));
        assertEquals(seenBySam, sam.page().evaluate(LAYOUT));

        sam.messageField().pressSequentially("See you");
        assertThat(maya.typing()).hasText("sam is typing…");
        assertThat(maya.log().locator("a")).hasText("https://example.org/parley/releases/0.4.0");
        maya.screenshot(Path.of("target", "screenshots",
                browsers.engine() == Engine.CHROMIUM ? "readme.png" : "readme-" + browsers.engine().label() + ".png"));
    }

    /** Every link in the log: its address, rel, target and text. */
    private static final String LINKS = "() => [...document.querySelectorAll('#log a')]"
            + ".map(a => [a.getAttribute('href'), a.rel, a.target, a.textContent])";

    @BrowserTest
    void webAddressesAreLinksThatOpenApartAndNothingElseIs() {
        ChatPage alice = user("alice");
        ChatPage bob = user("bob");
        String[] sent = {
            "The notes: https://example.org/parley/notes?a=1&b=2.",
            "javascript:alert(1)",
            "<a href=\"javascript:alert(2)\">click</a> or <a href=\"https://example.org/x\">x</a>",
        };
        for (String text : sent) {
            alice.send(text);
        }
        assertThat(bob.deliveredMessages()).hasText(sent);
        assertThat(alice.deliveredMessages()).hasText(sent);

        for (ChatPage page : List.of(alice, bob)) {
            assertEquals(List.of(
                    List.of("https://example.org/parley/notes?a=1&b=2", "noopener noreferrer", "_blank",
                            "https://example.org/parley/notes?a=1&b=2"),
                    List.of("https://example.org/x", "noopener noreferrer", "_blank", "https://example.org/x")),
                    page.page().evaluate(LINKS));
            assertEquals(List.of(), page.dialogs());
        }
    }
}
