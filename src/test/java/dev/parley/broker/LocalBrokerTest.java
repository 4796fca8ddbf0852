package dev.parley.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.Outbound;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalBrokerTest {

    @Test
    void aNameIsClaimedOncePerRoomAndTheClaimAnswersTheMembers() throws Exception {
        LocalBroker broker = new LocalBroker();
        assertEquals(new Broker.Claim(false, List.of("bob"), 1), broker.claim("lobby", "bob"));
        assertEquals(new Broker.Claim(false, List.of("ann", "bob"), 2), broker.claim("lobby", "ann"));
        assertTrue(broker.claim("lobby", "ann").taken());
        assertFalse(broker.claim("other", "ann").taken(), "names are per room");
        assertEquals(List.of(new Outbound.RoomCount("lobby", 2), new Outbound.RoomCount("other", 1)), broker.occupancy());

        assertEquals(1, broker.release("lobby", "ann").toCompletableFuture().get());
        assertEquals(-1, broker.release("lobby", "ann").toCompletableFuture().get(), "released once");
        assertEquals(0, broker.release("other", "ann").toCompletableFuture().get());
        assertEquals(List.of(new Outbound.RoomCount("lobby", 1)), broker.occupancy(), "an empty room is not listed");
        assertFalse(broker.claim("lobby", "ann").taken(), "free again");
    }
}
