package dev.parley.server;

import dev.parley.identity.IdentityCases;
import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** Identity in the WAR: parley-identity.war carries its key in WEB-INF/classes/parley.properties. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeployedIdentityIT extends IdentityCases {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.identityWar();
    }

    @ArquillianResource
    private URL base; // http://127.0.0.1:8080/parley-identity/

    @Override
    protected URI chatUri(String room) {
        return Deployments.chatUri(Deployments.root(base, "parley-identity"), room);
    }

    @Override
    protected URI appUri(String path) {
        return Deployments.root(base, "parley-identity").resolve(path);
    }
}
