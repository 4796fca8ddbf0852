package dev.parley.standalone;

import dev.parley.protocol.DeliveryCases;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Delivery under load on the standalone server (Parley's own WebSocket on Grizzly). */
class StandaloneDeliveryTest extends DeliveryCases {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();

    @Override
    protected URI chatUri(String room) {
        return SERVER.chatUri(room);
    }
}
