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

/** Delivery under load against target/parley.war, over the HTTP transport. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeployedDeliveryOverHttpIT extends DeliveryCases {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.parleyWar();
    }

    @ArquillianResource
    private URL base;

    @Override
    protected URI chatUri(String room) {
        return Deployments.streamUri(base, room);
    }
}
