package dev.parley.room;

import dev.parley.broker.Event;
import dev.parley.protocol.Logged;
import dev.parley.store.Append;
import dev.parley.store.Appended;
import dev.parley.store.HistoryStore;
import dev.parley.store.Sanction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the application behind Parley does to its rooms (SERVER-API.md): publish and
 * delete as a member would, read a room's log, see who is where across the cluster,
 * remove and ban people. The HTTP side is {@link dev.parley.api.ServerApi}; this is the
 * chat side, so that an entry the application writes takes a member's path: the store
 * checks it and gives it the room's next seq, then the room here and every other node
 * get it as they get any entry.
 */
@ApplicationScoped
public class Backend {
    /** Who the room's log names as the author of the application's deletes. */
    public static final String API_USER = "api";

    private Chat chat;
    private Rooms rooms;
    private Moderation moderation;

    protected Backend() {
        // for the CDI proxy
    }

    @Inject
    public Backend(RoomRegistry registry, Moderation moderation) {
        this.chat = registry.chat();
        this.rooms = registry;
        this.moderation = moderation;
    }

    /**
     * Publishes {@code text} in the room as {@code user} (who need not be connected), once
     * per {@code key} (null: no key). Completes with what the store made of it: stored
     * (and on its way to the room), a duplicate of the key's first message, or refused (a
     * {@code replyTo} that names no message).
     */
    public CompletionStage<Appended> publish(String room, String user, String text, long replyTo, String key) {
        return write(room, Append.published(user, text, key, replyTo, Instant.now()));
    }

    /** Deletes message {@code seq}: the room hears {@code delete} by {@value #API_USER}. */
    public CompletionStage<Appended> delete(String room, long seq) {
        return write(room, Append.delete(API_USER, seq, true, null, Instant.now()));
    }

    private CompletionStage<Appended> write(String room, Append append) {
        return chat.store().append(room, append).thenApply(appended -> {
            if (appended instanceof Appended.Stored stored) {
                chat.meters().stored();
                deliver(room, stored.entry());
            }
            return appended;
        });
    }

    /**
     * Sends a stored entry the way the broker brings another node's: out to the other
     * nodes, and into this node's room if it has one, whose ordered stream places it by
     * seq (and drops it if the room started after it was stored, and so has it already).
     * A room that starts later reads it from the store.
     */
    private void deliver(String room, Logged entry) {
        Event event = Event.message(entry.seq(), chat.encoder().encode(entry));
        chat.broker().publish(room, event);
        Room here = rooms.active(room);
        if (here != null) {
            here.event(event);
        }
    }

    /** The room's entries before {@code before}, at most {@code limit}, oldest first: a {@code history} frame's. */
    public List<Logged> history(String room, long before, int limit) {
        return chat.store().before(room, before, limit);
    }

    /** The room's members on every node, sorted. */
    public List<String> members(String room) {
        return chat.broker().members(room);
    }

    /** A room with its members on every node and its newest seq. */
    public record RoomState(String room, int count, long last) {
    }

    /**
     * The rooms with members or history whose names sort after {@code after} ("" for the
     * first), by name, at most {@code limit}: the rooms with members (every node's) merged
     * into a page of the store's rooms with history.
     */
    public List<RoomState> rooms(String after, int limit) {
        List<HistoryStore.RoomLast> stored = chat.store().rooms(after, limit);
        // the store's page covers every room up to its last name, or all of them if it is not full
        String end = stored.size() < limit ? null : stored.get(stored.size() - 1).room();
        List<RoomState> merged = new ArrayList<>(limit);
        Iterator<HistoryStore.RoomLast> history = stored.iterator();
        HistoryStore.RoomLast next = history.hasNext() ? history.next() : null;
        for (var occupied : chat.broker().occupancy()) {
            String name = occupied.room();
            if (name.compareTo(after) <= 0) {
                continue;
            }
            if (end != null && name.compareTo(end) > 0) {
                break;
            }
            while (next != null && next.room().compareTo(name) < 0) {
                merged.add(new RoomState(next.room(), 0, next.last()));
                next = history.hasNext() ? history.next() : null;
            }
            long last = 0;
            if (next != null && next.room().equals(name)) {
                last = next.last();
                next = history.hasNext() ? history.next() : null;
            }
            merged.add(new RoomState(name, occupied.count(), last));
        }
        while (next != null) {
            merged.add(new RoomState(next.room(), 0, next.last()));
            next = history.hasNext() ? history.next() : null;
        }
        return merged.size() > limit ? List.copyOf(merged.subList(0, limit)) : merged;
    }

    /** Closes the user's connections to the room, on whichever node holds them; false if it has none. */
    public boolean disconnect(String room, String user) {
        return moderation.disconnect(room, user) != Moderation.Found.NOBODY;
    }

    /** Bans {@code user} from the room until {@code until} ({@link Instant#MAX}: for ever), as a moderator's {@code ban}. */
    public void ban(String room, String user, Instant until) {
        Moderate.impose(chat, rooms.active(room), room, user, Sanction.Kind.BAN, until);
    }

    /** Lifts the user's ban, as a moderator's {@code unban}. */
    public void unban(String room, String user) {
        Moderate.impose(chat, rooms.active(room), room, user, Sanction.Kind.BAN, null);
    }

    /** The bans in force in the room, at most {@link Sanction#MAX_PER_ROOM}. */
    public List<Sanction> bans(String room) {
        return chat.store().sanctions(room, Instant.now()).stream()
                .filter(sanction -> sanction.kind() == Sanction.Kind.BAN).toList();
    }
}
