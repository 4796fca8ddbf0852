package dev.parley.room;

import jakarta.websocket.Session;

/**
 * One connection to a room: a member once its {@code join} succeeded, until it departs.
 * Created by {@link RoomRegistry#open}; the endpoint keeps it for its connection.
 */
public final class Member {
    private final String roomName;
    private final Outbox outbox;
    private final RateLimit rateLimit;

    // written under this member's lock, read by any thread
    private volatile Room room;
    private volatile String name;
    private boolean departed; // guarded by this
    private volatile long lastHeard = System.nanoTime();
    private String countedAt; // the address this connection counts against, set once at admission

    Member(Session session, String roomName, int sendQueue, long sendBuffer, int rateLimit) {
        this.roomName = roomName;
        this.outbox = new Outbox(session, sendQueue, sendBuffer);
        this.rateLimit = RateLimit.of(rateLimit);
    }

    /** The room this connection asked for in its URL. */
    public String roomName() {
        return roomName;
    }

    /** The member's name, or null before its join succeeded. */
    public String name() {
        return name;
    }

    public boolean isJoined() {
        return room != null;
    }

    Room room() {
        return room;
    }

    Outbox outbox() {
        return outbox;
    }

    RateLimit rateLimit() {
        return rateLimit;
    }

    /** The client address this connection counts against in the per-address limit, or null. */
    String countedAt() {
        return countedAt;
    }

    void countedAt(String address) {
        countedAt = address;
    }

    /** Notes that the client sent a frame, for the idle timeout. */
    void heard() {
        lastHeard = System.nanoTime();
    }

    /** How long the client has been silent, as of {@code now} (System.nanoTime). */
    long silentFor(long now) {
        return now - lastHeard;
    }

    /** Records a successful join; false if the connection departed meanwhile. */
    synchronized boolean enter(Room room, String name) {
        if (departed) {
            return false;
        }
        this.name = name;
        this.room = room;
        return true;
    }

    /** Marks the departure; returns the room to leave, or null if there is none or it was done already. */
    synchronized Room depart() {
        if (departed) {
            return null;
        }
        departed = true;
        return room;
    }

    @Override
    public String toString() {
        return "Member[" + roomName + "/" + name + "]";
    }
}
