package dev.parley.external;

import dev.parley.protocol.DeliveryCases;
import java.net.URI;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The delivery cases against a Parley you deployed yourself; see ExternalProtocolTest.
 * On Payara, a stalled reader sees 1006 instead of 1008 (docs/CONTAINERS.md): pass
 * {@code -Dparley.external.stalled-close=1006}.
 */
@EnabledIfSystemProperty(named = "parley.external", matches = "wss?://.+/chat/")
class ExternalDeliveryTest extends DeliveryCases {
    @Override
    protected URI chatUri(String room) {
        return URI.create(System.getProperty("parley.external") + room);
    }

    @Override
    protected int closeCodeSeenByAStalledReader() {
        return Integer.getInteger("parley.external.stalled-close", super.closeCodeSeenByAStalledReader());
    }
}
