package dev.parley.room;

import dev.parley.store.HistoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One room's members and its seq counter. Every change, and every broadcast that must
 * keep seq order, happens under the room's monitor; fan-out reads the member array,
 * which is replaced (never changed) on join and leave.
 */
final class Room {
    private static final Member[] NONE = new Member[0];

    private final String name;
    private final HistoryStore store;

    // guarded by this
    private final TreeMap<String, Member> byName = new TreeMap<>();
    private long lastSeq = -1; // -1: not read from the store yet
    private boolean retired;

    private volatile Member[] members = NONE;

    Room(String name, HistoryStore store) {
        this.name = name;
        this.store = store;
    }

    String name() {
        return name;
    }

    /** The members now, for fan-out; never modified. */
    Member[] members() {
        return members;
    }

    int size() {
        return members.length;
    }

    // the rest: caller holds the room's monitor

    Member member(String user) {
        return byName.get(user);
    }

    /** Member names in sorted order. */
    List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    void add(String user, Member member) {
        byName.put(user, member);
        members = byName.values().toArray(NONE);
    }

    boolean remove(String user, Member member) {
        if (!byName.remove(user, member)) {
            return false;
        }
        members = byName.values().toArray(NONE);
        return true;
    }

    long lastSeq() {
        if (lastSeq < 0) {
            lastSeq = store.lastSeq(name);
        }
        return lastSeq;
    }

    void advanceTo(long seq) {
        lastSeq = seq;
    }

    /** After a failed append: the next seq is read from the store again, so none is lost or used twice. */
    void forgetSeq() {
        lastSeq = -1;
    }

    /** An empty room leaves the registry; a later join makes a new one. */
    boolean isRetired() {
        return retired;
    }

    void retire() {
        retired = true;
    }
}
