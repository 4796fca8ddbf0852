package dev.parley.external;

import dev.parley.protocol.ProtocolCases;
import java.net.URI;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The protocol cases against a Parley you deployed yourself:
 * {@code mvn test -Dtest='External*' -Dparley.external=ws://HOST:8080/parley/chat/}
 * (start the server with {@code -Dparley.rate.limit=0}: the cases send as fast as they can).
 * Not run without that property.
 */
@EnabledIfSystemProperty(named = "parley.external", matches = "wss?://.+/chat/")
class ExternalProtocolTest extends ProtocolCases {
    @Override
    protected URI chatUri(String room) {
        return URI.create(System.getProperty("parley.external") + room);
    }
}
