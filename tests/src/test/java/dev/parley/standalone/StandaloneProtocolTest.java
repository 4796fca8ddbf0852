package dev.parley.standalone;

import dev.parley.protocol.ProtocolCases;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every rule of PROTOCOL.md against the standalone server (Parley's own WebSocket on Grizzly: {@link TyrusEngineProtocolTest} has Tyrus). */
class StandaloneProtocolTest extends ProtocolCases {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(
            Map.of("PARLEY_MAX_CONNECTIONS_PER_IP", String.valueOf(SUITE_PER_ADDRESS_LIMIT),
            "PARLEY_PRESENCE_LIMIT", String.valueOf(SUITE_PRESENCE_LIMIT)));

    @Override
    protected URI chatUri(String room) {
        return SERVER.chatUri(room);
    }

    @Override
    protected int perAddressLimit() {
        return SUITE_PER_ADDRESS_LIMIT;
    }

    @Override
    protected int presenceLimit() {
        return SUITE_PRESENCE_LIMIT;
    }
}
