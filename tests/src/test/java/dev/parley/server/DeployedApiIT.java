package dev.parley.server;

import dev.parley.api.ApiCases;
import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** /parley/api/v1/… of the WAR on each server (arquillian.xml and the GlassFish profile give them ApiCases.KEY). */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeployedApiIT extends ApiCases {

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
}
