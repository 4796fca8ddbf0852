package dev.parley.room;

import dev.parley.broker.LocalBroker;
import dev.parley.config.ParleyConfig;
import dev.parley.identity.Tokens;
import dev.parley.metrics.Meters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * A node's chat without a server: a {@link RoomRegistry} over a {@link GatedStore}, a
 * {@link LocalBroker} and settings from a map, with {@link FakePeer}s for connections.
 */
final class ChatFixture implements AutoCloseable {
    final GatedStore store = new GatedStore();
    final LocalBroker broker;
    final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();
    final Meters meters = new Meters(meterRegistry);
    final RoomRegistry registry;
    final Moderation moderation;

    ChatFixture(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(Map.of("PARLEY_RATE_LIMIT", "0"));
        env.putAll(settings);
        ParleyConfig config = ParleyConfig.from(env::get, name -> null);
        Tokens tokens = new Tokens(config);
        broker = new LocalBroker(tokens.enabled());
        registry = new RoomRegistry(Chat.of(config, store, broker, meters, tokens), meterRegistry);
        registry.start();
        moderation = new Moderation(registry, store, broker);
    }

    ChatFixture() {
        this(Map.of());
    }

    /** A client of {@code room}: its connection and what it is sent. */
    record Client(Connection connection, FakePeer peer) {
        void send(String frame) {
            connection.receive(frame);
        }

        /** Joins as {@code user} and returns the welcome (fails if something else came). */
        String join(String user) throws InterruptedException {
            send("{\"type\":\"join\",\"user\":\"" + user + "\"}");
            String welcome = peer.next();
            if (!welcome.startsWith("{\"type\":\"welcome\"")) {
                throw new AssertionError("not a welcome: " + welcome);
            }
            return welcome;
        }
    }

    Client open(String room) {
        FakePeer peer = new FakePeer();
        return new Client(registry.open(peer, new Handshake(true, null, "localhost", "127.0.0.1"), room), peer);
    }

    /**
     * Opens a connection to {@code room} and sends {@code join}, which reads its welcome and
     * then waits, JOINING, until the test calls {@code store.open()}.
     */
    Client joiningHeld(String room, String join) throws InterruptedException {
        java.util.concurrent.CountDownLatch reading = store.closeAfterRead();
        Client client = open(room);
        client.send(join);
        if (!reading.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("the join did not reach the welcome's read");
        }
        return client;
    }

    /** Opens a connection to {@code room} and joins it as {@code user}. */
    Client member(String room, String user) throws InterruptedException {
        Client client = open(room);
        client.join(user);
        return client;
    }

    double closed(String reason) {
        var counter = meterRegistry.find("parley.closes").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        registry.shutdown();
    }
}
