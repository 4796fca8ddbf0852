package dev.parley.server;

import java.io.File;
import java.net.URI;
import java.net.URL;
import dev.parley.support.TestTokens;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
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

    /** WEB-INF/classes/parley.properties of {@link #identityWar}: the identity suites' key, issuer and audience. */
    static final String IDENTITY_SETTINGS = "PARLEY_TOKEN_SECRET=" + TestTokens.SECRET + "\nPARLEY_TOKEN_ISSUER="
            + TestTokens.ISSUER + "\nPARLEY_TOKEN_AUDIENCE=" + TestTokens.AUDIENCE + "\n";

    /**
     * The same WAR as parley-identity.war (context root /parley-identity), identity turned on
     * by settings it carries itself, so that the other suites' deployment keeps identity off.
     */
    static WebArchive identityWar() {
        WebArchive war = ShrinkWrap.create(WebArchive.class, "parley-identity.war").merge(parleyWar());
        return war.addAsResource(new StringAsset(IDENTITY_SETTINGS), "parley.properties");
    }

    /**
     * http://host:port/{context}/ from the injected deployment URL's host and port: Payara's
     * URL came once without its context root (ws://localhost:8231chat/…).
     */
    static URI root(URL base, String context) {
        return URI.create(base.getProtocol() + "://" + base.getHost() + ":" + base.getPort() + "/" + context + "/");
    }

    /** http://…/parley/ */
    static URI root(URL base) {
        return root(base, "parley");
    }

    /** The deployment's own URL for {@code path} ("metrics", "admin/api/rooms"), under /parley/. */
    static URI appUri(URL base, String path) {
        return root(base).resolve(path);
    }

    /** ws://…/parley/chat/{room}. */
    static URI chatUri(URL base, String room) {
        return chatUri(root(base), room);
    }

    /** ws://…/{context}/chat/{room} for the deployment at {@code root} (http://…/{context}/). */
    static URI chatUri(URI root, String room) {
        return URI.create(root.toString().replaceFirst("^http", "ws") + "chat/" + room);
    }

    /** http://…/parley/sse/{room}: the HTTP transport's stream (ChatClient speaks it given this URI). */
    static URI streamUri(URL base, String room) {
        return URI.create(root(base) + "sse/" + room);
    }
}
