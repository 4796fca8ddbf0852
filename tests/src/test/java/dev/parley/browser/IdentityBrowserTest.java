package dev.parley.browser;

import static dev.parley.support.PageAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.parley.support.BrowserTest;
import dev.parley.support.Browsers;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatPage;
import dev.parley.support.Poll;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import dev.parley.support.TestTokens;
import jakarta.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web client with identity on, in each browser engine: signed in by a token in the page's
 * fragment, or by the operator's token URL (here a server of the test's own on another
 * port, which mints tokens for the user its session cookie names), refreshing before
 * expiry, and a refused token said plainly.
 */
class IdentityBrowserTest {
    /** Mints tokens for the session cookie's user, each good for six more seconds on the server. */
    private static final HttpServer TOKENS = tokenServer();
    private static final AtomicInteger MINTED = new AtomicInteger();
    private static volatile String pageOrigin = "";

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_TOKEN_SECRET", TestTokens.SECRET,
            "PARLEY_TOKEN_ISSUER", TestTokens.ISSUER, "PARLEY_TOKEN_AUDIENCE", TestTokens.AUDIENCE,
            "PARLEY_TOKEN_URL", tokenUrl()));
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private final String room = Rooms.fresh();

    private static String tokenUrl() {
        return "http://127.0.0.1:" + TOKENS.getAddress().getPort() + "/chat-token";
    }

    private static HttpServer tokenServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/chat-token", exchange -> {
                String cookie = exchange.getRequestHeaders().getFirst("Cookie");
                String user = cookie != null && cookie.startsWith("session=") ? cookie.substring(8) : null;
                exchange.getResponseHeaders().add("Access-Control-Allow-Origin", pageOrigin);
                exchange.getResponseHeaders().add("Access-Control-Allow-Credentials", "true");
                byte[] body;
                if (user == null) {
                    body = "{\"error\":\"not signed in\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(401, body.length);
                } else {
                    MINTED.incrementAndGet();
                    Instant exp = Instant.now().minus(dev.parley.identity.Tokens.CLOCK_SKEW).plusSeconds(6);
                    body = Json.createObjectBuilder().add("token", TestTokens.expiringAt(user, exp)).build().toString()
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                }
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopTokens() {
        TOKENS.stop(0);
    }

    private ChatPage open(String fragment) {
        pageOrigin = "http://127.0.0.1:" + SERVER.httpUri().getPort();
        ChatPage page = browsers.open(SERVER.httpUri().resolve("/#" + fragment));
        page.allowRequestsTo(tokenUrl());
        return page;
    }

    private ChatClient member(String user) {
        return ChatClient.joinWithToken(SERVER.chatUri(room), TestTokens.hs256(user));
    }

    @BrowserTest
    void aTokenInTheFragmentSignsInAndLeavesTheAddressBarAtOnce() {
        try (ChatClient bob = member("bob")) {
            ChatPage page = open(room + "&token=" + TestTokens.hs256("carol"));
            assertThat(page.status()).hasText("Online");
            assertThat(page.page().locator("#me-name")).hasText("Signed in as carol");
            assertFalse(page.page().url().contains("token"), page.page().url());
            assertTrue(page.page().url().endsWith("#" + room), page.page().url());
            assertEquals("carol", bob.nextOf("joined").getString("user"));

            page.send("hello as carol");
            assertEquals("carol", bob.nextOf("message").getString("user"));
            assertThat(page.nameField()).isHidden();
            page.screenshot(Path.of("target", "screenshots", "signed-in-" + browsers.engine().label() + ".png"));
        }
    }

    /** The session cookie goes with the fetch; each token lasts 6 s, so only refreshing keeps the member in. */
    @BrowserTest
    void theTokenUrlSignsInWithTheBrowsersCookiesAndRefreshesBeforeExpiry() {
        try (ChatClient bob = member("bob")) {
            int before = MINTED.get();
            ChatPage page = browsers.open(SERVER.httpUri().resolve("/favicon.svg"));
            page.page().addCookie("session", "dora", "127.0.0.1", "/");
            pageOrigin = "http://127.0.0.1:" + SERVER.httpUri().getPort();
            page.allowRequestsTo(tokenUrl());
            page.page().navigate(SERVER.httpUri().resolve("/#" + room));
            assertThat(page.page().locator("#me-name")).hasText("Signed in as dora");
            assertEquals("dora", bob.nextOf("joined").getString("user"));

            // eight tokens take about eight seconds: the first one's six are long gone, yet dora stays
            Poll.until(MINTED::get, n -> n >= before + 8, java.time.Duration.ofSeconds(30));
            bob.assertNothingPending(); // no left
            page.send("still here");
            assertEquals("still here", bob.nextOf("message").getString("text"));
            assertThat(page.status()).hasText("Online");
        }
    }

    @BrowserTest
    void aRefusedTokenIsSaidPlainlyAndNotRetried() {
        ChatPage page = open(room + "&token=" + TestTokens.tampered("eve", "root"));
        assertThat(page.page().locator("#notices")).containsText("The token's signature is not one this server accepts.");
        assertThat(page.status()).hasText("Offline");
        assertThat(page.page().locator("#me-name")).hasText("");
    }
}
