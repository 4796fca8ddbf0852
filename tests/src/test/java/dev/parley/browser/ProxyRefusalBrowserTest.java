package dev.parley.browser;

import static dev.parley.support.PageAssertions.assertThat;

import dev.parley.support.BrowserTest;
import dev.parley.support.Browsers;
import dev.parley.support.ChatPage;
import dev.parley.support.ReverseProxy;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a page says behind an nginx set up wrong, in both engines: what the proxy makes the
 * server refuse, or holds back, reaches the user as a sentence, and the page does not loop.
 */
class ProxyRefusalBrowserTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();
    @RegisterExtension
    final Browsers browsers = new Browsers();

    /**
     * proxy_pass alone: no upgrade (WebSocket fails, the page falls back to HTTP), and the
     * upstream's address as Host, so the origin check refuses every POST.
     */
    private static final String NAIVE = """
            server {
                listen 8000;
                location / {
                    proxy_pass http://127.0.0.1:8080;
                }
            }
            """;

    /** Upgrade-less, Host passed on, but buffering the event stream whatever Parley asks. */
    private static final String BUFFERING = """
            server {
                listen 8000;
                location / {
                    proxy_pass http://127.0.0.1:8080;
                    proxy_set_header Host $http_host;
                    proxy_buffering on;
                    proxy_ignore_headers X-Accel-Buffering;
                }
            }
            """;

    private ReverseProxy proxy;

    @AfterEach
    void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @BrowserTest
    void behindAProxyThatMakesTheServerRefuseThePostsThePageSaysWhyAndStops() {
        proxy = ReverseProxy.start(ReverseProxy.Kind.NGINX, NAIVE, SERVER.httpUri().getPort());
        ChatPage page = browsers.open(proxy.httpUri().resolve("/#" + Rooms.fresh()));
        page.nameField().fill("ada");
        page.button("Join").click();
        assertThat(page.page().locator("#notices")).containsText("Pages of that origin may not use this server.");
        assertThat(page.status()).not().hasText(Pattern.compile("Reconnecting.*|Online"));
        assertThat(page.page().locator("#transport")).not().containsText("via");
    }

    @BrowserTest
    void behindAProxyThatBuffersTheEventStreamThePageSaysSoWithinItsDeadline() {
        proxy = ReverseProxy.start(ReverseProxy.Kind.NGINX, BUFFERING, SERVER.httpUri().getPort());
        ChatPage page = browsers.open(proxy.httpUri().resolve("/#" + Rooms.fresh()));
        page.nameField().fill("ada");
        page.button("Join").click();
        assertThat(page.page().locator("#notices")).within(Duration.ofSeconds(20))
                .containsText("no event came through within 10 s");
        assertThat(page.status()).not().hasText("Online");
        assertThat(page.page().locator("#transport")).not().containsText("via");
    }
}
