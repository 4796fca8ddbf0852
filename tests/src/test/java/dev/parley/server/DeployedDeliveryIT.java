package dev.parley.server;

import dev.parley.protocol.DeliveryCases;
import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** Delivery under load against target/parley.war in the application server of this run. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeployedDeliveryIT extends DeliveryCases {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.parleyWar();
    }

    @ArquillianResource
    private URL base;

    /**
     * Payara's and GlassFish's servlet-based Tyrus aborts a connection closed with writes pending:
     * docs/CONTAINERS.md.
     */
    @Override
    protected int closeCodeSeenByAStalledReader() {
        String server = System.getProperty("arquillian.launch");
        return "payara".equals(server) || "glassfish".equals(server) ? 1006 : 1008;
    }

    /**
     * On Open Liberty the close frame goes out when the write before it ends within 2 s;
     * otherwise Parley ends the connection without one (endpoint.LibertyPeer).
     */
    @Override
    protected boolean stalledReaderMayBeDropped() {
        return "liberty".equals(System.getProperty("arquillian.launch"));
    }

    @Override
    protected URI chatUri(String room) {
        return Deployments.chatUri(base, room);
    }
}
