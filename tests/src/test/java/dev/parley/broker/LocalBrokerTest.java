package dev.parley.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.Outbound;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalBrokerTest {

    private static int release(Broker broker, String room, String user) throws Exception {
        return broker.release(room, user).toCompletableFuture().get();
    }

    @Test
    void aNameIsClaimedOncePerRoomAndTheClaimAnswersTheMembers() throws Exception {
        LocalBroker broker = new LocalBroker();
        assertEquals(new Broker.Claim(false, List.of("bob"), 1, true), broker.claim("lobby", "bob"));
        assertEquals(new Broker.Claim(false, List.of("ann", "bob"), 2, true), broker.claim("lobby", "ann"));
        assertTrue(broker.claim("lobby", "ann").taken());
        assertFalse(broker.claim("other", "ann").taken(), "names are per room");
        assertEquals(List.of(new Outbound.RoomCount("lobby", 2), new Outbound.RoomCount("other", 1)), broker.occupancy());

        assertEquals(1, release(broker, "lobby", "ann"));
        assertEquals(-1, release(broker, "lobby", "ann"), "released once");
        assertEquals(0, release(broker, "other", "ann"));
        assertEquals(List.of(new Outbound.RoomCount("lobby", 1)), broker.occupancy(), "an empty room is not listed");
        assertEquals(List.of("bob"), broker.members("lobby"));
        assertEquals(List.of(), broker.members("other"));
        assertFalse(broker.claim("lobby", "ann").taken(), "free again");
    }

    /** Identity on: one user, several connections; the user counts once and leaves with the last. */
    @Test
    void sharedNamesCountTheUsersConnectionsAndOnlyTheLastReleaseIsADeparture() throws Exception {
        LocalBroker broker = new LocalBroker(true);
        assertTrue(broker.claim("lobby", "ada").first());
        assertEquals(new Broker.Claim(false, List.of("ada"), 1, false), broker.claim("lobby", "ada"));
        assertEquals(new Broker.Claim(false, List.of("ada", "bob"), 2, true), broker.claim("lobby", "bob"));
        assertFalse(broker.claim("lobby", "ada").first(), "a third tab");
        assertEquals(List.of(new Outbound.RoomCount("lobby", 2)), broker.occupancy(), "users, not connections");

        assertEquals(-1, release(broker, "lobby", "ada"), "two tabs remain");
        assertEquals(-1, release(broker, "lobby", "ada"), "one tab remains");
        assertEquals(1, release(broker, "lobby", "ada"), "the last tab: ada left, bob remains");
        assertEquals(-1, release(broker, "lobby", "ada"));
        assertTrue(broker.claim("lobby", "ada").first(), "back: a first connection again");
    }

    /** A name held with a key is taken back by a claim presenting it: not a first connection, nobody left. */
    @Test
    void aClaimPresentingTheKeptKeyTakesTheNameBackAndTheOldConnectionsReleaseIsNoDeparture() throws Exception {
        LocalBroker broker = new LocalBroker();
        assertEquals(new Broker.Claim(false, List.of("ann"), 1, true, false), broker.claim("lobby", "ann", "k1", null));
        assertTrue(broker.claim("lobby", "ann", "k2", null).taken(), "no key presented");
        assertTrue(broker.claim("lobby", "ann", "k2", "wrong").taken(), "another key");
        assertTrue(broker.claim("other", "ann", "k2", "k1").taken() == false, "another room is another name");
        assertEquals(new Broker.Claim(false, List.of("ann"), 1, false, true), broker.claim("lobby", "ann", "k2", "k1"));
        assertTrue(broker.claim("lobby", "ann", "k3", "k1").taken(), "the old key is spent");
        assertEquals(-1, release(broker, "lobby", "ann"), "the replaced connection goes: ann stays");
        assertEquals(new Broker.Claim(false, List.of("ann"), 1, false, true), broker.claim("lobby", "ann", "k4", "k2"));
        assertEquals(-1, release(broker, "lobby", "ann"));
        assertEquals(0, release(broker, "lobby", "ann"), "the last connection: ann left");
        assertEquals(new Broker.Claim(false, List.of("ann"), 1, true, false), broker.claim("lobby", "ann", "k5", "k4"),
                "a key does not outlive its user's claim: a plain first claim");
    }

    @Test
    void aClaimAnswersAPageOfNamesAndMembersPagesThemInCodePointOrder() throws Exception {
        LocalBroker broker = new LocalBroker();
        for (String user : List.of("dan", "\uD83D\uDE00", "ann", "\uFB01", "cy", "bob")) {
            broker.claim("lobby", user);
        }
        Broker.Claim claim = broker.claim("lobby", "eve", null, null, 3);
        assertEquals(List.of("ann", "bob", "cy"), claim.users(), "the first three");
        assertEquals(7, claim.count());

        assertEquals(new Broker.Names(List.of("dan", "eve"), 7, true), broker.members("lobby", "cy", 2));
        assertEquals(new Broker.Names(List.of("\uFB01", "\uD83D\uDE00"), 7, false), broker.members("lobby", "eve", 5),
                "U+FB01 before U+1F600, as Redis orders their bytes");
        assertEquals(new Broker.Names(List.of("ann"), 7, true), broker.members("lobby", null, 1));
        assertEquals(new Broker.Names(List.of(), 0, false), broker.members("empty", null, 10));
        release(broker, "lobby", "ann");
        assertEquals(new Broker.Names(List.of("bob"), 6, true), broker.members("lobby", null, 1));
    }
}
