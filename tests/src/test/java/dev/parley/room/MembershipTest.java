package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Membership}: the join state machine's transitions, and the ones it refuses. */
class MembershipTest {

    @Test
    void aJoinGoesFromOpenThroughJoiningToJoined() {
        Membership membership = new Membership();
        assertEquals(Membership.State.OPEN, membership.state());
        assertTrue(membership.begin("ada", null));
        assertEquals(Membership.State.JOINING, membership.state());
        assertEquals("ada", membership.name());
        assertTrue(membership.joined());
        assertEquals(Membership.State.JOINED, membership.state());
        assertFalse(membership.begin("eve", null), "no second join");
        assertEquals("ada", membership.name());
    }

    @Test
    void aFailedJoinIsOpenAgainAndForgetsTheName() {
        Membership membership = new Membership();
        membership.begin("ada", null);
        membership.failed();
        assertEquals(Membership.State.OPEN, membership.state());
        assertNull(membership.name());
        assertTrue(membership.begin("bob", null));
    }

    @Test
    void goneIsForeverAndKeepsTheNameForTheDeparture() {
        Membership membership = new Membership();
        membership.begin("ada", null);
        assertEquals(Membership.State.JOINING, membership.leave());
        assertEquals(Membership.State.GONE, membership.leave(), "a second departure sees it gone");
        assertFalse(membership.joined(), "a join that finishes after its connection left does not make it a member");
        membership.failed();
        assertEquals(Membership.State.GONE, membership.state());
        assertEquals("ada", membership.name());
        assertFalse(membership.begin("ada", null));
    }
}
