package dev.parley.browser;

import static dev.parley.support.PageAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Browsers;
import dev.parley.support.ChatPage;
import dev.parley.support.Engine;
import dev.parley.support.Poll;
import dev.parley.support.Rooms;
import dev.parley.support.Scrape;
import dev.parley.support.StandaloneParley;
import dev.parley.support.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exactly once, measured, for the page (issue 35, docs/CLIENTS.md step 3): the bundled page in
 * Chromium and in Firefox, two members of one room, through a flaky {@link TcpProxy} that cuts
 * and stalls their connections at random, once over WebSocket and once over HTTP. Both type
 * their messages into the composer at once, each sent with Enter, while the network is bad;
 * once it is good again, each page must show every message of both once, in the room's seq
 * order (1 to the last, none missing), the same seq on both pages, and none of its own still
 * pending or failed. The network is good while the pages load and join: a browser does not
 * fetch a script again that a cut cost it, and the page's loading is not what this measures.
 */
class ExactlyOnceBrowserTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private static final int EACH = 60;
    /** Longer than the client's backoff cap (15 s) with a stall or two on the way back. */
    private static final Duration SETTLE = Duration.ofSeconds(60);

    /**
     * The log as the page shows it: each message in #log-items as [seq, user, text, its marks
     * (pending, failed, provisional: acknowledged, its broadcast not seen yet; hidden)], and
     * what still waits in #log-outbox, as its text and classes.
     */
    private static final String SHOWN = """
            () => [
              [...document.querySelectorAll('#log-items .msg')].map(el => [
                el.dataset.seq ?? '', el.dataset.user ?? '', el.querySelector(':scope > .bubble > .text')?.textContent ?? '',
                [el.classList.contains('pending') && 'pending', el.classList.contains('failed') && 'failed',
                 el.dataset.provisional && 'provisional', el.hidden && 'hidden'].filter(Boolean).join(' ')]),
              [...document.querySelectorAll('#log-outbox .msg')].map(el =>
                `${el.querySelector('.text')?.textContent} (${el.className}${el.hidden ? ', hidden' : ''})`),
            ]""";

    /** From now on, counts in window.drops how often the page's status leaves Online (its data-state). */
    private static final String COUNT_DROPS = """
            () => {
              const status = document.getElementById('status');
              window.drops = 0;
              new MutationObserver(changes => {
                const states = [...changes.map(change => change.oldValue), status.dataset.state];
                for (let i = 0; i + 1 < states.length; i++) if (states[i] === 'online' && states[i + 1] !== 'online') window.drops++;
              }).observe(status, { attributes: true, attributeFilter: ['data-state'], attributeOldValue: true });
            }""";

    /** One page's log: its messages as [seq, user, text, marks], and what is still in its outbox. */
    private record Shown(List<List<String>> messages, List<String> waiting) {
        @SuppressWarnings("unchecked")
        static Shown on(ChatPage page) {
            List<Object> both = (List<Object>) page.page().evaluate(SHOWN);
            return new Shown((List<List<String>>) both.get(0), (List<String>) both.get(1));
        }

        /** Everything came through and settled: every message shown, none of them marked, nothing waiting. */
        boolean settled() {
            return messages.size() >= 2 * EACH && waiting.isEmpty()
                    && messages.stream().allMatch(message -> message.get(3).isEmpty());
        }

        /** [seq, user, text] of each message, in the page's order. */
        List<List<String>> log() {
            return messages.stream().map(message -> message.subList(0, 3)).toList();
        }
    }

    /**
     * Types EACH messages into the page's composer, each sent with Enter; returns how many
     * seconds that took. The composer is found once: it keeps the focus after a send, and
     * Firefox takes longer to find it by its name the longer the log grows (half a second at
     * a hundred messages).
     */
    private static double write(ChatPage page, String name) {
        long start = System.nanoTime();
        page.messageField().click();
        assertThat(page.messageField()).isFocused();
        for (int i = 1; i <= EACH; i++) {
            page.page().type(name + " " + i);
            page.page().press("Enter");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The other page's writing, once it is done; its failure is the test's. */
    private static double done(FutureTask<Double> writing) {
        try {
            return writing.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof AssertionError failed ? failed : new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the other page still writes after 120 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "http"})
    void eachPageShowsEveryMessageOnceInTheRoomsOrderThroughABadNetwork(String transport) {
        String room = Rooms.fresh();
        try (TcpProxy proxy = TcpProxy.flaky(SERVER.httpUri().getPort(), room.hashCode(), 0.06, 0.06, 2000)) {
            proxy.calm(); // until both pages are in
            URI url = URI.create("http://127.0.0.1:" + proxy.port() + "/?transport=" + transport + "#" + room);
            ChatPage chromium = browsers.open(Engine.CHROMIUM, url).join("chromium");
            ChatPage firefox = browsers.open(Engine.FIREFOX, url).join("firefox");

            Scrape before = Scrape.of(SERVER.httpUri().resolve("/metrics"));
            chromium.page().evaluate(COUNT_DROPS);
            firefox.page().evaluate(COUNT_DROPS);
            proxy.storm();
            FutureTask<Double> firefoxWrites = new FutureTask<>(() -> write(firefox, "firefox"));
            new Thread(firefoxWrites, "firefox-writes").start();
            double chromiumSeconds;
            double firefoxSeconds;
            try {
                chromiumSeconds = write(chromium, "chromium");
            } finally {
                firefoxSeconds = done(firefoxWrites);
            }
            proxy.calm(); // what is left comes through now
            long calm = System.nanoTime();

            Map<String, Shown> shown = new LinkedHashMap<>();
            for (ChatPage page : List.of(chromium, firefox)) {
                shown.put(page.page().engine().label(), Poll.until(() -> Shown.on(page), Shown::settled, SETTLE));
            }
            double settling = (System.nanoTime() - calm) / 1e9;
            List<String> expectedTexts = new ArrayList<>();
            for (int i = 1; i <= EACH; i++) {
                expectedTexts.add("chromium " + i);
                expectedTexts.add("firefox " + i);
            }
            List<String> seqs = LongStream.rangeClosed(1, 2 * EACH).mapToObj(Long::toString).toList();
            for (Map.Entry<String, Shown> page : shown.entrySet()) {
                String name = page.getKey();
                Shown log = page.getValue();
                assertEquals(List.of(), log.waiting(), name + ": nothing of its own still waits to be sent");
                assertEquals(List.of(), log.messages().stream().filter(message -> !message.get(3).isEmpty()).toList(),
                        name + ": none of its messages pending, failed or not yet broadcast");
                assertEquals(seqs, log.messages().stream().map(message -> message.get(0)).toList(),
                        name + ": every seq of the room once, in order, none missing");
                List<String> texts = log.messages().stream().map(message -> message.get(2)).sorted().toList();
                assertEquals(expectedTexts.stream().sorted().toList(), texts, name + ": every message once");
                for (List<String> message : log.log()) {
                    assertTrue(message.get(2).startsWith(message.get(1) + " "), name + ": by its sender: " + message);
                }
            }
            assertEquals(shown.get("chromium").log(), shown.get("firefox").log(), "both pages show each message with the same seq");
            System.out.printf("pages over %s: %d messages once each, in order, on both; written in %.1f s (chromium),"
                    + " %.1f s (firefox), settled %.1f s after the calm%n", transport, 2 * EACH, chromiumSeconds,
                    firefoxSeconds, settling);
            System.out.printf("the proxy cut %d connections and stalled %d; the pages lost their connection %s (chromium)"
                    + " and %s (firefox) times; the server sent %.0f acks for %d messages%n", proxy.cuts(), proxy.stalls(),
                    chromium.page().evaluate("() => window.drops"), firefox.page().evaluate("() => window.drops"),
                    Scrape.of(SERVER.httpUri().resolve("/metrics")).since(before, "parley_acks_total"), 2 * EACH);
            assertTrue(proxy.cuts() > 0 && proxy.stalls() > 0, "the network was bad: " + proxy.cuts() + " cuts, "
                    + proxy.stalls() + " stalls");
        }
    }
}
