package dev.parley.server;

import static dev.parley.support.PageAssertions.assertThat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.http.PageHeaders;
import dev.parley.support.BrowserTest;
import dev.parley.support.Browsers;
import dev.parley.support.ChatPage;
import dev.parley.support.Rooms;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Smoke test: the page served by target/parley.war in the application server, in each browser engine. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WebClientInServerIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.parleyWar();
    }

    @ArquillianResource
    private URL base; // http://127.0.0.1:8080/parley/

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @Test
    void thePageAndItsFilesCarryTheSecurityHeaders() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String file : new String[] {"", "app.js", "style.css", "no-such-file"}) {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(Deployments.root(base).resolve(file)).build(),
                    HttpResponse.BodyHandlers.discarding());
            PageHeaders.ALL.forEach((name, value) ->
                    assertEquals(Optional.of(value), response.headers().firstValue(name), file + ": " + name));
        }
    }

    @BrowserTest
    void twoUsersChatThroughTheDeployedPage() {
        URI page = Deployments.root(base).resolve("#" + Rooms.fresh());
        ChatPage alice = browsers.open(page).join("alice");
        ChatPage bob = browsers.open(page).join("bob");
        assertThat(alice.members()).hasText(new String[] {"alice (you)", "bob"});

        alice.send("hello from " + base.getPath());
        assertThat(bob.deliveredMessages()).hasText(new String[] {"hello from /parley/"}); // bob answers what he read
        bob.sendWithEnter("hi alice");
        String[] both = {"hello from /parley/", "hi alice"};
        assertThat(bob.deliveredMessages()).hasText(both);
        assertThat(alice.deliveredMessages()).hasText(both);
    }
}
