package dev.parley.server;

import dev.parley.protocol.HttpTransportCases;
import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP transport's own rules against target/parley.war (the servlet, Servlet async with non-blocking output). */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeployedHttpTransportIT extends HttpTransportCases {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.parleyWar();
    }

    @ArquillianResource
    private URL base;

    @Override
    protected URI streamUri(String room) {
        return Deployments.streamUri(base, room);
    }

    @Override
    protected URI chatUri(String room) {
        return Deployments.chatUri(base, room);
    }
}
