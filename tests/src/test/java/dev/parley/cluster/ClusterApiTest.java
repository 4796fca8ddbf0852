package dev.parley.cluster;

import dev.parley.api.ApiCases;
import dev.parley.support.ParleyCluster;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server API in a cluster: every case asks node 1 while the room's members are on
 * node 2, so a publish reaches them through the broker, members and rooms are listed from
 * every node, and a disconnect or ban reaches the node that holds the connection.
 */
class ClusterApiTest extends ApiCases {
    @RegisterExtension
    static final ParleyCluster CLUSTER = new ParleyCluster(2, Map.of("PARLEY_API_KEY", KEY));

    @Override
    protected URI chatUri(String room) {
        return CLUSTER.node(2).chatUri(room);
    }

    @Override
    protected URI appUri(String path) {
        return CLUSTER.node(1).httpUri().resolve(path);
    }
}
