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
    static final ParleyCluster CLUSTER = new ParleyCluster(3);

    @Override
    protected URI chatUri(String room) {
        return CLUSTER.chatUri(room);
    }
}
