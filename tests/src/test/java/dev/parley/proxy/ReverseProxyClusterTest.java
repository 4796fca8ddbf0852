package dev.parley.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.ChatClient;
import dev.parley.support.ParleyCluster;
import dev.parley.support.ReverseProxy;
import dev.parley.support.Rooms;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * docs/PROXIES.md's HAProxy and Apache httpd cluster configurations as written, and nginx's with
 * one server line per node, round robin without stickiness in front of three cluster nodes: members over WebSocket and over HTTP (whose POSTs land on any node
 * and are forwarded to the one holding the stream) all get every message, in order.
 */
class ReverseProxyClusterTest {
    @RegisterExtension
    static final ParleyCluster CLUSTER = new ParleyCluster(3, Map.of("PARLEY_TRUSTED_PROXIES", "127.0.0.1"));

    @ParameterizedTest
    @EnumSource(value = ReverseProxy.Kind.class, names = {"HAPROXY", "NGINX", "APACHE_CLUSTER"})
    void membersOnBothTransportsChatThroughRoundRobinWithNothingLost(ReverseProxy.Kind kind) {
        int[] ports = CLUSTER.nodes().stream().mapToInt(node -> node.port()).toArray();
        try (ReverseProxy proxy = ReverseProxy.start(kind, ports)) {
            String room = Rooms.fresh();
            Map<String, String> browser = Map.of("Origin", proxy.origin());
            List<ChatClient> members = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) { // consecutive connections land on consecutive nodes
                    ChatClient member = ChatClient.connect(i % 2 == 0 ? proxy.chatUri(room) : proxy.streamUri(room), browser);
                    member.send("{\"type\":\"join\",\"user\":\"m" + i + "\"}");
                    assertEquals("m" + i, member.next("welcome").getString("user"));
                    members.add(member);
                }
                int rounds = 10;
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < members.size(); i++) {
                        members.get(i).say("r" + r + " from m" + i, "c" + r + "-" + i);
                        members.get(i).awaitAck("c" + r + "-" + i);
                    }
                }
                for (ChatClient member : members) {
                    List<String> texts = new ArrayList<>();
                    long seq = 0;
                    while (texts.size() < rounds * members.size()) {
                        JsonObject message = member.nextOf("message");
                        long next = message.getJsonNumber("seq").longValue();
                        assertEquals(true, next > seq, "in order: " + next + " after " + seq);
                        seq = next;
                        texts.add(message.getString("text"));
                    }
                    for (int r = 0; r < rounds; r++) {
                        for (int i = 0; i < members.size(); i++) {
                            assertEquals("r" + r + " from m" + i, texts.get(r * members.size() + i));
                        }
                    }
                }
            } finally {
                members.forEach(ChatClient::close);
            }
        }
    }
}
