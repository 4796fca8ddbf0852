package dev.parley.cluster;

import dev.parley.protocol.DeliveryCases;
import dev.parley.support.ParleyCluster;
import java.net.URI;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Delivery under load on three nodes in cluster mode, each connection on the next node. */
class ClusterDeliveryTest extends DeliveryCases {
    @RegisterExtension
    static final ParleyCluster CLUSTER = new ParleyCluster(3);

    @Override
    protected URI chatUri(String room) {
        return CLUSTER.chatUri(room);
    }
}
