package dev.parley.room;

import dev.parley.broker.Broker;
import dev.parley.broker.Event;
import dev.parley.protocol.Outbound;
import dev.parley.store.HistoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;

/**
 * What an administrator may do to rooms and members (the admin view): see who is where,
 * remove a member, close and reopen a room. In cluster mode each reaches every node.
 */
@ApplicationScoped
public class Moderation {
    private static final Logger LOG = Logger.getLogger(Moderation.class.getName());

    private RoomRegistry registry;
    private HistoryStore store;
    private Broker broker;

    protected Moderation() {
        // for the CDI proxy
    }

    @Inject
    public Moderation(RoomRegistry registry, HistoryStore store, Broker broker) {
        this.registry = registry;
        this.store = store;
        this.broker = broker;
    }

    /** A room with members on this node, and their names. */
    public record RoomView(String name, List<String> members) {
    }

    /** Where {@link #disconnect} found the member. */
    public enum Found { HERE, ELSEWHERE, NOBODY }

    /** This node's rooms with their members, by name. */
    public List<RoomView> roomsHere() {
        return registry.all().stream().map(room -> new RoomView(room.name(), room.memberNames()))
                .filter(room -> !room.members().isEmpty()).sorted(Comparator.comparing(RoomView::name)).toList();
    }

    /**
     * Closes {@code user}'s connection to {@code room} with 1008 "removed by an
     * administrator": here, or in cluster mode on the node that holds it (through the
     * broker). Its room hears {@code left} as for any departure.
     *
     * @throws dev.parley.broker.BrokerException if the cluster cannot tell where the member is
     */
    public Found disconnect(String room, String user) {
        Room active = registry.active(room);
        if (active != null && active.kick(user)) {
            return Found.HERE;
        }
        if (broker.clustered() && broker.heldElsewhere(room, user)) {
            broker.publish(room, Event.of(Event.Kind.KICK, user, ""));
            return Found.ELSEWHERE;
        }
        return Found.NOBODY;
    }

    /**
     * Closes the room: marked in the store (so every node refuses joins when the room
     * starts there, also after a restart), its connections here closed with 1008 "room
     * closed", and the other nodes told to close theirs.
     *
     * @return the connections closed on this node
     * @throws dev.parley.store.StoreException if the store cannot mark it
     */
    public int closeRoom(String room) {
        store.markClosed(room, true);
        Room active = registry.active(room);
        int closed = active == null ? 0 : active.closeAll();
        broker.publish(room, Event.of(Event.Kind.CLOSED, "", ""));
        LOG.info(() -> "Room " + room + " closed by an administrator (" + closed + " connection(s) here)");
        return closed;
    }

    /** Lets joins into a closed room again. */
    public void reopenRoom(String room) {
        store.markClosed(room, false);
        LOG.info(() -> "Room " + room + " reopened by an administrator");
    }

    /** The closed rooms, by name, at most a thousand. */
    public List<String> closedRooms() {
        return store.closedRooms(1000);
    }

    /** The rooms with at least one member, on every node, sorted by name, with their member counts. */
    public List<Outbound.RoomCount> occupancy() {
        return broker.occupancy();
    }
}
