package dev.parley.server;

import dev.parley.ops.OperatingCases;
import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** /parley/metrics and /parley/health/* of target/parley.war in the application server of this failsafe run. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeployedOperatingIT extends OperatingCases {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.parleyWar();
    }

    @ArquillianResource
    private URL base; // http://127.0.0.1:8080/parley/

    @Override
    protected URI chatUri(String room) {
        return Deployments.chatUri(base, room);
    }

    @Override
    protected URI appUri(String path) {
        return Deployments.appUri(base, path);
    }

    @Override
    protected boolean jdbcStore() {
        return !"memory".equals(System.getProperty("parley.it.store"));
    }

    /** Open Liberty has no fast path: its WebSocket implementation frames every message itself (docs/CONTAINERS.md). */
    @Override
    protected String sendPath() {
        return switch (System.getProperty("arquillian.launch", "")) {
            case "wildfly" -> "undertow";
            case "liberty" -> "portable";
            default -> "tyrus";
        };
    }

    @Override
    protected boolean clustered() {
        return !System.getProperty("parley.it.redis.url", "").isBlank();
    }
}
