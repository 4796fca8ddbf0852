package dev.parley.room;

import dev.parley.protocol.Outbound;

/**
 * The registry as a connection and a room see it: the rooms of this node by name. The
 * {@link RoomRegistry} is the one there is; a test may bring its own.
 */
interface Rooms {
    /**
     * The room a joining connection enters, started (subscribed, its position read) and
     * holding the connection. Throws the store's or the broker's exception when the room
     * cannot start.
     */
    Room enter(String name, Connection connection);

    /** The room of that name with members on this node now, or null. */
    Room active(String name);

    /** An emptied room leaves the registry (called by the room, once, under its monitor). */
    void retire(Room room);

    /** A connection is gone (called once per connection). */
    void forget(Connection connection);

    /** Whether the node is closing every connection: departures no longer tell the rooms. */
    boolean shuttingDown();

    /** The {@code reconnect} frame a connection closed with 1001 gets first: when to come back ({@link RetryHints}). */
    Outbound.Reconnect shutdownHint();
}
