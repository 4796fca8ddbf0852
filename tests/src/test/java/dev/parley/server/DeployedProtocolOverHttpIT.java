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

/** Every rule of PROTOCOL.md against target/parley.war, over the HTTP transport (the servlet: SSE down, POST up). */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeployedProtocolOverHttpIT extends ProtocolCases {

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

    @Override
    protected int perAddressLimit() {
        return SUITE_PER_ADDRESS_LIMIT;
    }

    @Override
    protected int presenceLimit() {
        return SUITE_PRESENCE_LIMIT;
    }
}
