package dev.parley.room;

import dev.parley.identity.Identity;

/**
 * A connection's place in its room, the join state machine: {@code OPEN} (not joined;
 * only frames allowed before a join), {@code JOINING} (the name being claimed and the
 * welcome read; what the room delivers meanwhile is held for it), {@code JOINED},
 * {@code GONE} (departed, once, whatever the cause). A join that fails goes back to
 * {@code OPEN}, so that the client may try another name.
 *
 * <p>Its monitor is its own and it calls nothing while holding it, so anyone may ask it
 * anything, a room under its own monitor too. Name, room and identity are read without it.
 */
final class Membership {
    enum State { OPEN, JOINING, JOINED, GONE }

    private volatile State state = State.OPEN;
    private volatile String name;
    private volatile Room room;
    private volatile Identity identity; // identity on: what the join's token, or the last auth's, says

    State state() {
        return state;
    }

    /** The member's name, or null before a join was tried. */
    String name() {
        return name;
    }

    /** The room the connection entered, or null. */
    Room room() {
        return room;
    }

    Identity identity() {
        return identity;
    }

    /** A fresh token for the same user (auth). */
    void identity(Identity fresh) {
        identity = fresh;
    }

    /** OPEN to JOINING as {@code user}; false in any other state (gone meanwhile). */
    synchronized boolean begin(String user, Identity verified) {
        if (state != State.OPEN) {
            return false;
        }
        name = user;
        identity = verified;
        state = State.JOINING;
        return true;
    }

    /** The joining connection entered {@code entered}. */
    void entered(Room entered) {
        room = entered;
    }

    /** JOINING to JOINED: its welcome goes out. False if it departed meanwhile. */
    synchronized boolean joined() {
        if (state != State.JOINING) {
            return false;
        }
        state = State.JOINED;
        return true;
    }

    /** A join that did not get through: OPEN again, unless gone meanwhile. */
    synchronized void failed() {
        if (state == State.JOINING) {
            state = State.OPEN;
            name = null;
            room = null;
            identity = null;
        }
    }

    /** To GONE, whatever the state was (returned); the name and the room stay, for the departure. */
    synchronized State leave() {
        State was = state;
        state = State.GONE;
        return was;
    }
}
