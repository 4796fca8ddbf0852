package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.ChatClient;
import dev.parley.support.ParleyNode;
import dev.parley.support.Prerequisite;
import dev.parley.support.Rooms;
import dev.parley.support.TestDatabase;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A mixed cluster: the WAR in this run's application server (WildFly or Payara, which
 * arquillian.xml starts in cluster mode on the machine's Redis, cluster parley-it, with
 * the server-config datasource on the run's own PostgreSQL database, parley.it.database),
 * a standalone node of its own process on the same database, Redis and cluster, and, in
 * WildFly's run, the WAR in a Payara Micro of its own process too (the pom passes
 * parley.it.mixed.payara there): WildFly, Payara and standalone at once. One room with a
 * member on each node: presence spans them, and messages from every side reach every
 * member in one order.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MixedClusterIT {
    private static final String REDIS = System.getProperty("parley.it.redis.url", "");
    private static final String PAYARA_MICRO = System.getProperty("parley.it.mixed.payara", "");
    /** The servers' database: tests/pom.xml makes it empty before they start. */
    private static final String DATABASE = System.getProperty("parley.it.database", "");
    private static final int EACH = 20;
    private static final List<ParleyNode> nodes = new ArrayList<>();

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.parleyWar();
    }

    @ArquillianResource
    private URL base;

    @BeforeAll
    static void startTheOtherNodes() {
        if (REDIS.isBlank()) {
            Prerequisite.missing("the server suites run without Redis or PostgreSQL here (parley.it.redis.url is empty)", null);
        }
        if (DATABASE.isBlank()) {
            throw new IllegalStateException("tests/pom.xml passes the servers' database as parley.it.database");
        }
        if (PAYARA_MICRO.isBlank() && "wildfly".equals(System.getProperty("arquillian.launch"))
                && "true".equals(System.getenv("CI"))) { // elsewhere -DskipPayara leaves WildFly and standalone
            throw new AssertionError("with CI=true WildFly's run has Payara Micro beside it: all three kinds at once");
        }
        Map<String, String> cluster = Map.of("PARLEY_STORE", "jdbc",
                "PARLEY_JDBC_URL", TestDatabase.SERVER_URL + DATABASE, "PARLEY_JDBC_USER", TestDatabase.USER,
                "PARLEY_REDIS_URL", REDIS, "PARLEY_CLUSTER_NAME", "parley-it");
        nodes.add(new ParleyNode("standalone", with(cluster, "standalone")));
        if (!PAYARA_MICRO.isBlank()) {
            nodes.add(ParleyNode.payaraMicro("payara-micro", payaraMicroCommand(), with(cluster, "payara-micro")));
        }
        nodes.forEach(ParleyNode::start);
    }

    private static Map<String, String> with(Map<String, String> cluster, String nodeId) {
        Map<String, String> settings = new HashMap<>(cluster);
        settings.put("PARLEY_NODE_ID", nodeId);
        return settings;
    }

    /** Micro as the Payara run's Arquillian starts it (arquillian.xml), on a port of its own. */
    private static List<String> payaraMicroCommand() {
        Path build = Path.of(System.getProperty("parley.build.dir"));
        Path micro = Path.of(PAYARA_MICRO);
        if (!Files.isRegularFile(micro)) {
            throw new IllegalStateException(micro + " is missing: tests/pom.xml's payara profile copies it (left out by -DskipPayara)");
        }
        try {
            Path temp = Files.createTempDirectory(build, "payara-micro-");
            return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-Djava.io.tmpdir=" + temp, "-jar", micro.toString(), "--nocluster", "--port", String.valueOf(freePort()),
                    "--prebootcommandfile", System.getProperty("parley.payara.preboot"),
                    "--postbootcommandfile", System.getProperty("parley.payara.postboot"),
                    "--addlibs", build.resolve("postgresql.jar").toString(),
                    "--deploy", System.getProperty("parley.war"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @AfterAll
    static void stopTheOtherNodes() {
        nodes.forEach(ParleyNode::stop);
        nodes.clear();
    }

    @Test
    void everyKindOfNodeIsOneChat() {
        String room = Rooms.fresh();
        List<URI> uris = new ArrayList<>(List.of(Deployments.chatUri(base, room)));
        nodes.forEach(node -> uris.add(node.chatUri(room)));
        List<ChatClient> members = new ArrayList<>();
        try {
            List<String> names = new ArrayList<>();
            for (URI uri : uris) {
                String name = "user" + members.size();
                ChatClient member = ChatClient.connect(uri);
                members.add(member);
                member.send(Json.createObjectBuilder().add("type", "join").add("user", name).build());
                names.add(name);
                assertEquals(names, member.next("welcome").getJsonArray("users").stream()
                        .map(v -> ((JsonString) v).getString()).sorted().toList(), "everyone on every node, at " + uri);
                for (ChatClient earlier : members.subList(0, members.size() - 1)) {
                    assertEquals(name, earlier.next("joined").getString("user"));
                }
            }
            for (int n = 0; n < uris.size(); n++) {
                try (ChatClient clash = ChatClient.connect(uris.get(n))) {
                    String heldElsewhere = names.get((n + 1) % names.size());
                    clash.send(Json.createObjectBuilder().add("type", "join").add("user", heldElsewhere).build());
                    clash.nextError("name-taken");
                }
            }

            for (int i = 1; i <= EACH; i++) {
                for (int n = 0; n < members.size(); n++) {
                    members.get(n).say("from " + n + " #" + i, n + "-" + i);
                }
            }
            List<String> first = texts(members.get(0), EACH * members.size());
            for (ChatClient member : members.subList(1, members.size())) {
                assertEquals(first, texts(member, EACH * members.size()), "one order for all");
            }
            assertEquals(EACH * members.size(), first.size());
        } finally {
            members.forEach(ChatClient::close);
        }
    }

    /** The texts of the next {@code n} messages, checking their seqs follow one another. */
    private static List<String> texts(ChatClient client, int n) {
        List<String> texts = new ArrayList<>();
        long last = -1;
        while (texts.size() < n) {
            JsonObject frame = client.next();
            if (frame.getString("type").equals("message")) {
                long seq = frame.getJsonNumber("seq").longValue();
                if (last >= 0) {
                    assertEquals(last + 1, seq, "no gap");
                }
                last = seq;
                texts.add(frame.getString("text"));
            }
        }
        return texts;
    }
}
