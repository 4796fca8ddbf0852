package dev.parley.broker;

import dev.parley.protocol.Outbound;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One node alone: presence in this process, nothing to publish to. */
public final class LocalBroker implements Broker {
    private final Map<String, TreeSet<String>> rooms = new TreeMap<>(); // guarded by this; sorted, as occupancy answers

    @Override
    public void listen(Listener listener) {
        // nobody else publishes
    }

    @Override
    public synchronized Claim claim(String room, String user) {
        TreeSet<String> users = rooms.computeIfAbsent(room, r -> new TreeSet<>());
        if (!users.add(user)) {
            return Claim.TAKEN;
        }
        return new Claim(false, new ArrayList<>(users), users.size());
    }

    @Override
    public synchronized CompletionStage<Integer> release(String room, String user) {
        TreeSet<String> users = rooms.get(room);
        if (users == null || !users.remove(user)) {
            return CompletableFuture.completedStage(-1);
        }
        if (users.isEmpty()) {
            rooms.remove(room);
        }
        return CompletableFuture.completedStage(users.size());
    }

    @Override
    public boolean heldElsewhere(String room, String user) {
        return false;
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
