package dev.parley.standalone;

import dev.parley.protocol.ProtocolCases;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every rule of PROTOCOL.md against the standalone server (Tyrus on Grizzly). */
class StandaloneProtocolTest extends ProtocolCases {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();

    @Override
    protected URI chatUri(String room) {
        return SERVER.chatUri(room);
    }
}
