package dev.parley.server;

import dev.parley.protocol.ProtocolCases;
import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every rule of PROTOCOL.md against target/parley.war deployed in the application
 * server that this failsafe run launches (WildFly, Payara Micro or Open Liberty), over the wire.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeployedProtocolIT extends ProtocolCases {

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
    protected int perAddressLimit() {
        return SUITE_PER_ADDRESS_LIMIT; // arquillian.xml starts every server with it
    }

    @Override
    protected boolean anEmptyRoomIsRefusedAtTheHandshake() {
        return "liberty".equals(System.getProperty("arquillian.launch"));
    }

    @Override
    protected int presenceLimit() {
        return SUITE_PRESENCE_LIMIT;
    }
}
