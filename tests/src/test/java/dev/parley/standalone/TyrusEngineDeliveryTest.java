package dev.parley.standalone;

import dev.parley.protocol.DeliveryCases;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Delivery under load on the standalone server with Tyrus serving the WebSocket ({@code PARLEY_WEBSOCKET_ENGINE=tyrus}). */
class TyrusEngineDeliveryTest extends DeliveryCases {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_WEBSOCKET_ENGINE", "tyrus"));

    @Override
    protected URI chatUri(String room) {
        return SERVER.chatUri(room);
    }
}
