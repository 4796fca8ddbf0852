package dev.parley.server;

import dev.parley.api.WebhookCases;
import dev.parley.support.WebhookReceiver;
import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhooks from the WAR on each server. arquillian.xml (and the GlassFish profile) point
 * every server's PARLEY_WEBHOOK_URL at {@link #PORT}, where this class's receiver listens;
 * the events of the other suites wait in the server's store meanwhile, and drain here.
 * What still waits when the run ends (the events of the suites after this one) stays in
 * the run's own database, which the next run drops and makes anew before its servers
 * start (tests/pom.xml, parley.it.database; GlassFish's Derby lives in target/ and goes
 * with it): no run starts with an earlier run's backlog.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeployedWebhookIT extends WebhookCases {
    static final int PORT = 28095;
    static final WebhookReceiver RECEIVER = new WebhookReceiver(SECRET, PORT);

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.parleyWar();
    }

    @ArquillianResource
    private URL base; // http://127.0.0.1:8080/parley/

    @AfterAll
    static void closeReceiver() {
        RECEIVER.close();
    }

    @Override
    protected URI chatUri(String room) {
        return Deployments.chatUri(base, room);
    }

    @Override
    protected URI appUri(String path) {
        return Deployments.appUri(base, path);
    }

    @Override
    protected WebhookReceiver receiver() {
        return RECEIVER;
    }
}
