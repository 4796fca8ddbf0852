package dev.parley.standalone;

import dev.parley.protocol.HttpTransportCases;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTTP transport's own rules on the standalone server (Grizzly handler). */
class StandaloneHttpTransportTest extends HttpTransportCases {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();

    @Override
    protected URI streamUri(String room) {
        return SERVER.streamUri(room);
    }

    @Override
    protected URI chatUri(String room) {
        return SERVER.chatUri(room);
    }
}
