package dev.parley.cluster;

import dev.parley.protocol.ProtocolCases;
import dev.parley.support.ParleyCluster;
import java.net.URI;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every rule of PROTOCOL.md against three standalone nodes in cluster mode (one
 * PostgreSQL, one Redis), each connection of a case on the next node: a room's members
 * are spread over the nodes, as behind a round-robin load balancer.
 */
class ClusterProtocolTest extends ProtocolCases {
    @RegisterExtension
    static final ParleyCluster CLUSTER = new ParleyCluster(3, java.util.Map.of("PARLEY_PRESENCE_LIMIT", String.valueOf(SUITE_PRESENCE_LIMIT)));

    @Override
    protected URI chatUri(String room) {
        return CLUSTER.chatUri(room);
    }

    @Override
    protected int presenceLimit() {
        return SUITE_PRESENCE_LIMIT;
    }
}
