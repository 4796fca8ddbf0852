package dev.parley.server;

import dev.parley.admin.AdminCases;
import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** /parley/admin/api/… of target/parley.war (arquillian.xml gives both servers AdminCases.TOKEN). */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeployedAdminIT extends AdminCases {

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
