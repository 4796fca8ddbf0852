package dev.parley.server;

import java.io.File;
import java.net.URI;
import java.net.URL;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The deployment under test: target/parley.war exactly as the build made it. */
final class Deployments {
    private Deployments() {
    }

    static WebArchive parleyWar() {
        File war = new File(System.getProperty("parley.war", "target/parley.war"));
        if (!war.isFile()) {
            throw new IllegalStateException(war + " is missing: the WAR is built in the package phase");
        }
        return ShrinkWrap.create(ZipImporter.class, "parley.war").importFrom(war).as(WebArchive.class);
    }

    /** The deployment's own URL for {@code path} ("metrics", "admin/api/rooms"), {@code base} being http://…/parley/. */
    static URI appUri(URL base, String path) {
        return URI.create(base.toExternalForm()).resolve(path);
    }

    /** ws://…/parley/chat/{room} for the deployment at {@code base} (http://…/parley/). */
    static URI chatUri(URL base, String room) {
        return URI.create(base.toExternalForm().replaceFirst("^http", "ws") + "chat/" + room);
    }
}
