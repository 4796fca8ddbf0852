package dev.parley.broker;

import dev.parley.protocol.Outbound;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One node alone: presence in this process, nothing to publish to. */
public final class LocalBroker implements Broker {
    private final boolean sharedNames;
    /** Room to user (in {@link Broker#ORDER}) to the user's connections; guarded by this; sorted, as occupancy answers. */
    private final Map<String, TreeMap<String, Integer>> rooms = new TreeMap<>();
    /** Room to user to the key kept with the user's claim; guarded by this; gone with the user. */
    private final Map<String, Map<String, String>> keys = new HashMap<>();

    /** Names unique per room, as without identity. */
    public LocalBroker() {
        this(false);
    }

    /** @param sharedNames identity on: a user may hold several connections in a room */
    public LocalBroker(boolean sharedNames) {
        this.sharedNames = sharedNames;
    }

    @Override
    public void listen(Listener listener) {
        // nobody else publishes
    }

    @Override
    public Claim claim(String room, String user) {
        return claim(room, user, null, null);
    }

    @Override
    public Claim claim(String room, String user, String key, String presented) {
        return claim(room, user, key, presented, Integer.MAX_VALUE);
    }

    @Override
    public synchronized Claim claim(String room, String user, String key, String presented, int names) {
        TreeMap<String, Integer> users = rooms.computeIfAbsent(room, r -> new TreeMap<>(ORDER));
        Integer connections = users.get(user);
        Map<String, String> kept = keys.get(room);
        boolean tookOver = false;
        if (connections != null && !sharedNames) {
            String held = kept == null ? null : kept.get(user);
            if (held == null || presented == null || !MessageDigest.isEqual(held.getBytes(StandardCharsets.UTF_8),
                    presented.getBytes(StandardCharsets.UTF_8))) {
                return Claim.TAKEN;
            }
            tookOver = true; // the connection that held it is this node's: the caller closes it
        }
        users.put(user, connections == null ? 1 : connections + 1);
        if (key != null) {
            keys.computeIfAbsent(room, r -> new HashMap<>()).put(user, key);
        }
        return new Claim(false, first(users.keySet(), names), users.size(), connections == null, tookOver);
    }

    private static List<String> first(java.util.Collection<String> names, int limit) {
        List<String> page = new ArrayList<>(Math.min(names.size(), limit));
        for (String name : names) {
            if (page.size() == limit) {
                break;
            }
            page.add(name);
        }
        return page;
    }

    @Override
    public synchronized CompletionStage<Integer> release(String room, String user) {
        TreeMap<String, Integer> users = rooms.get(room);
        Integer connections = users == null ? null : users.get(user);
        if (connections == null) {
            return CompletableFuture.completedStage(-1);
        }
        if (connections > 1) {
            users.put(user, connections - 1);
            return CompletableFuture.completedStage(-1); // the user is still here
        }
        users.remove(user);
        Map<String, String> kept = keys.get(room);
        if (kept != null) {
            kept.remove(user);
        }
        if (users.isEmpty()) {
            rooms.remove(room);
            keys.remove(room);
        }
        return CompletableFuture.completedStage(users.size());
    }

    @Override
    public boolean heldElsewhere(String room, String user) {
        return false;
    }

    @Override
    public synchronized List<String> members(String room) {
        TreeMap<String, Integer> users = rooms.get(room);
        return users == null ? List.of() : List.copyOf(users.keySet());
    }

    @Override
    public synchronized Names members(String room, String after, int limit) {
        TreeMap<String, Integer> users = rooms.get(room);
        if (users == null) {
            return new Names(List.of(), 0, false);
        }
        java.util.NavigableSet<String> following = after == null ? users.navigableKeySet()
                : users.navigableKeySet().tailSet(after, false);
        List<String> page = first(following, limit + 1);
        boolean more = page.size() > limit;
        return new Names(more ? page.subList(0, limit) : page, users.size(), more);
    }

    @Override
    public synchronized List<Outbound.RoomCount> occupancy() {
        List<Outbound.RoomCount> counts = new ArrayList<>(rooms.size());
        rooms.forEach((room, users) -> counts.add(new Outbound.RoomCount(room, users.size())));
        return counts;
    }

    @Override
    public void subscribe(String room) {
    }

    @Override
    public void unsubscribe(String room) {
    }

    @Override
    public void publish(String room, Event event) {
    }

    @Override
    public boolean clustered() {
        return false;
    }

    @Override
    public String describe() {
        return "one node";
    }
}
