package dev.parley.room;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Logged;
import dev.parley.store.Append;
import dev.parley.store.Appended;
import dev.parley.store.HistoryStore;
import dev.parley.store.MemoryHistoryStore;
import dev.parley.store.StoreException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The memory store, with a gate a test can close on the welcome's read (what a join
 * reads after it claimed its name) and a switch that makes reads fail as an unreachable
 * database's do.
 */
final class GatedStore implements HistoryStore {
    private final MemoryHistoryStore memory = new MemoryHistoryStore(1000, 64L * 1024 * 1024);
    private volatile CountDownLatch read; // set: the next welcome read has read, and waits for open()
    private volatile CountDownLatch gate;
    private volatile boolean failing;
    private final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger fills = new java.util.concurrent.atomic.AtomicInteger();
    private volatile java.util.concurrent.CompletableFuture<Void> decided; // set: appends are stored, but said so only once it completes

    /** The next welcome read reads, then waits until {@link #open}; returns a latch counted down once it waits. */
    CountDownLatch closeAfterRead() {
        read = new CountDownLatch(1);
        gate = new CountDownLatch(1);
        return read;
    }

    void open() {
        gate.countDown();
    }

    /** Reads fail from now on (or not). */
    void failing(boolean fail) {
        failing = fail;
    }

    private <T> T gated(T result) {
        CountDownLatch waiting = gate;
        CountDownLatch reached = read;
        if (waiting != null && reached != null) {
            read = null;
            reached.countDown();
            try {
                if (!waiting.await(10, TimeUnit.SECONDS)) {
                    throw new StoreException("the test never opened the gate", null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return result;
    }

    private void maybeFail() {
        if (failing) {
            throw new StoreException("the database is away (a test said so)", null);
        }
    }

    @Override
    public long lastSeq(String room) {
        return memory.lastSeq(room);
    }

    @Override
    public List<RoomLast> rooms(String after, int limit) {
        return memory.rooms(after, limit);
    }

    /**
     * From now on an append is in the store at once (a read finds it), but the stage that
     * says so completes only when the returned future does: the moment between a commit
     * and its completion, held open.
     */
    java.util.concurrent.CompletableFuture<Void> holdDecisions() {
        decided = new java.util.concurrent.CompletableFuture<>();
        return decided;
    }

    @Override
    public CompletionStage<Appended> append(String room, Append entry) {
        java.util.concurrent.CompletableFuture<Void> hold = decided;
        CompletionStage<Appended> stored = memory.append(room, entry);
        return hold == null ? stored : stored.thenCombine(hold, (appended, released) -> appended);
    }

    /** How many gap fills and resyncs ({@code following}) read the store. */
    int fills() {
        return fills.get();
    }

    /** How many welcome reads ({@code before}, {@code after}) were asked of the store. */
    int reads() {
        return reads.get();
    }

    @Override
    public List<Logged> before(String room, long before, int limit) {
        reads.incrementAndGet();
        maybeFail();
        return gated(memory.before(room, before, limit));
    }

    @Override
    public List<Logged> following(String room, long since, int limit) {
        fills.incrementAndGet();
        return memory.following(room, since, limit);
    }

    @Override
    public Optional<List<Logged>> after(String room, long since, int max) {
        reads.incrementAndGet();
        maybeFail();
        return gated(memory.after(room, since, max));
    }

    @Override
    public long readPosition(String room, String user) {
        return memory.readPosition(room, user);
    }

    @Override
    public boolean markRead(String room, String user, long seq) {
        return memory.markRead(room, user, seq);
    }

    @Override
    public ReadState readState(String room, String user) {
        return memory.readState(room, user);
    }

    @Override
    public void sanction(String room, String user, dev.parley.store.Sanction.Kind kind, Instant until) {
        memory.sanction(room, user, kind, until);
    }

    @Override
    public List<dev.parley.store.Sanction> sanctions(String room, Instant now) {
        return memory.sanctions(room, now);
    }

    @Override
    public boolean closed(String room) {
        return memory.closed(room);
    }

    @Override
    public void markClosed(String room, boolean closed) {
        memory.markClosed(room, closed);
    }

    @Override
    public List<String> closedRooms(int limit) {
        return memory.closedRooms(limit);
    }

    @Override
    public boolean shareable() {
        return false;
    }

    @Override
    public String describe() {
        return "gated memory (a test's)";
    }
}
