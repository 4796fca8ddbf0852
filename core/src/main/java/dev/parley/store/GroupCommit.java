package dev.parley.store;

import dev.parley.metrics.Meters;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.OutboundEncoder;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The store's writer: appends go into a queue; one thread ({@code parley-store-writer})
 * takes everything that queued up while its previous commit ran (and, while messages keep
 * coming, for a moment more) and stores it in one transaction, then completes the appends
 * in order. So a message is committed before anyone hears of it, and under load many
 * messages share one commit.
 *
 * <p>The database is the sequencer: in that transaction each room's row in
 * {@code parley_room} is raised by the number of its messages in the batch, and the
 * messages take the seqs below the new value (how, is the {@link Dialect}'s). The row lock
 * orders commits of one room, from any number of nodes, so no seq is handed out twice, and
 * a rolled-back commit uses none, so no room gets a gap. Rows are locked in room order:
 * two nodes' batches never deadlock.
 */
final class GroupCommit {
    /** The store's logger, under the name it always had. */
    private static final Logger LOG = Logger.getLogger(JdbcHistoryStore.class.getName());
    private static final int MAX_BATCH = 2000;
    private static final int MAX_PENDING = 100_000;
    /** What waits for the writer at most, in bytes of text (two a character): a slow database refuses, never swells. */
    private static final long MAX_PENDING_BYTES = 64L * 1024 * 1024;
    /**
     * While messages keep coming (the last commit ended less than {@link #BUSY} ago) and
     * few wait, the writer waits this long before it takes a batch, so that a commit holds
     * several messages: a transaction, a statement and a round trip each cost about as much
     * as the message they carry. Idle, a message is committed at once.
     */
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long BUSY = 5 * GATHER_NANOS;
    private static final int GATHERED = 8;
    /** Rooms whose row the writer remembers having seen. */
    private static final int MAX_ROOMS_REMEMBERED = 100_000;

    private final DataSource database;
    private final Dialect dialect;
    private final int keep;
    private final Meters meters;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_PENDING);
    private final AtomicLong pendingBytes = new AtomicLong();
    /** Rooms known to have their row in parley_room (a bounded memory: a forgotten room is only looked up again). */
    private final Map<String, Boolean> roomRows = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_ROOMS_REMEMBERED;
        }
    });
    private final Thread writer;
    private volatile boolean closing;
    private boolean failing; // writer thread only: the last commit failed
    /** Where each commit keeps its webhook events; null: webhooks are off. */
    private volatile JdbcWebhooks webhooks;
    private final OutboundEncoder encoder = new OutboundEncoder();

    /**
     * An entry waiting for its commit, and the stage that completes with what became of it;
     * or ({@code append} null) a note for the webhooks, a {@code joined} or {@code left}
     * frame kept in order with the room's entries.
     */
    record Pending(String room, Append append, String note, CompletableFuture<Appended> stored) {
        long bytes() {
            return append != null ? append.bytes() : 2L * note.length();
        }

        String user() {
            return append.user();
        }

        String text() {
            return append.text();
        }

        Instant ts() {
            return append.ts();
        }
    }

    /**
     * Starts the writer.
     *
     * @param keep   messages kept per room, 0 for all
     * @param meters where the writer counts its commits
     */
    GroupCommit(DataSource database, Dialect dialect, int keep, Meters meters) {
        this.database = database;
        this.dialect = dialect;
        this.keep = keep;
        this.meters = meters;
        writer = new Thread(this::writeLoop, "parley-store-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues an entry for the next commit; refused at once if the queue is full or the writer is closing. */
    CompletionStage<Appended> append(String room, Append append) {
        return queue(new Pending(room, append, null, new CompletableFuture<>()));
    }

    /** From now on every commit keeps a webhook event for each entry stored and each {@link #note}. */
    void recordWebhooks(JdbcWebhooks outbox) {
        this.webhooks = outbox;
    }

    /** A joined or left for the webhooks, committed in order with the room's entries; nothing unless recording. */
    void note(String room, String frame) {
        if (webhooks != null) {
            queue(new Pending(room, null, frame, new CompletableFuture<>()));
        }
    }

    private CompletionStage<Appended> queue(Pending pending) {
        long bytes = pending.bytes();
        if (closing || pendingBytes.addAndGet(bytes) > MAX_PENDING_BYTES || !queue.offer(pending)) {
            pendingBytes.addAndGet(-bytes);
            pending.stored().completeExceptionally(new StoreException("the store is not taking messages now"));
        }
        return pending.stored();
    }

    /** Stores what is queued, then stops the writer (waiting 10 s at most). */
    void close() {
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        long lastCommit = System.nanoTime() - BUSY;
        while (!closing || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                if (System.nanoTime() - lastCommit < BUSY && queue.size() < GATHERED && !closing) {
                    LockSupport.parkNanos(GATHER_NANOS);
                }
                queue.drainTo(batch, MAX_BATCH - 1);
                pendingBytes.addAndGet(-batch.stream().mapToLong(Pending::bytes).sum());
                write(batch);
                lastCommit = System.nanoTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) { // never let the writer die: fail what it held
                LOG.log(Level.SEVERE, "History writer failure", e);
                batch.forEach(p -> p.stored().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        // each room's messages, in the order they came; the rooms in name order, the order their rows are locked in
        TreeMap<String, List<Pending>> byRoom = new TreeMap<>();
        for (Pending pending : batch) {
            byRoom.computeIfAbsent(pending.room(), room -> new ArrayList<>()).add(pending);
        }
        List<Appended> stored;
        long start = System.nanoTime();
        try {
            addRoomRows(byRoom.keySet());
            stored = commit(byRoom);
            int entries = (int) batch.stream().filter(p -> p.append() != null).count();
            if (entries > 0) { // the store's metrics count entries; a commit of webhook notes alone is not one of theirs
                meters.committed(entries, System.nanoTime() - start);
            }
        } catch (SQLException | RuntimeException e) {
            meters.commitFailed();
            if (!failing) {
                LOG.log(Level.WARNING, "History store: cannot commit, messages are refused until the database is back: {0}",
                        StoreException.rootMessage(e));
                failing = true;
            }
            StoreException failure = new StoreException("Cannot store: " + e.getMessage(), e);
            batch.forEach(p -> p.stored().completeExceptionally(failure));
            return;
        }
        if (failing) {
            LOG.info("History store: the database is back");
            failing = false;
        }
        int i = 0;
        for (List<Pending> room : byRoom.values()) {
            for (Pending pending : room) {
                pending.stored().complete(stored.get(i++));
            }
        }
    }

    /** Makes the sequence row of every room that has none; another node may make it at the same moment. */
    private void addRoomRows(Set<String> rooms) throws SQLException {
        for (String room : rooms) {
            if (roomRows.get(room) != null) {
                continue;
            }
            try (Connection connection = database.getConnection()) {
                dialect.addRoomRow(connection, room);
            }
            roomRows.put(room, Boolean.TRUE);
        }
    }

    /**
     * Stores a batch: takes each room's seqs, inserts the entries, trims. Returns what became
     * of them in byRoom's order. All rooms in one transaction, or, for one room of plain
     * messages where the dialect writes a room in one statement (PostgreSQL), that statement
     * in autocommit: one round trip for the whole commit. A room with anything to check
     * (a cid, a ref) goes through {@link JdbcLedger#write} under its row lock.
     */
    private List<Appended> commit(TreeMap<String, List<Pending>> byRoom) throws SQLException {
        JdbcWebhooks outbox = webhooks;
        try (Connection connection = database.getConnection()) {
            boolean oneStatement = outbox == null && dialect.oneStatementPerRoom() && byRoom.size() == 1
                    && byRoom.firstEntry().getValue().stream().allMatch(p -> p.append() != null && p.append().plain());
            connection.setAutoCommit(oneStatement);
            try {
                List<Appended> stored = new ArrayList<>();
                List<JdbcWebhooks.Row> events = new ArrayList<>();
                for (Map.Entry<String, List<Pending>> room : byRoom.entrySet()) {
                    List<Pending> entries = room.getValue();
                    Iterator<Appended> done = write(connection, room.getKey(),
                            entries.stream().filter(p -> p.append() != null).toList()).iterator();
                    for (Pending p : entries) {
                        Appended appended = p.append() == null ? null : done.next();
                        stored.add(appended);
                        if (outbox != null && appended instanceof Appended.Stored s) {
                            events.add(new JdbcWebhooks.Row(p.room(), WebhookOutbox.event(encoder.encode(s.entry()))));
                        } else if (outbox != null && p.note() != null) {
                            events.add(new JdbcWebhooks.Row(p.room(), WebhookOutbox.event(p.note())));
                        }
                    }
                }
                if (!events.isEmpty()) {
                    outbox.insert(connection, events, Instant.now());
                }
                if (!oneStatement) {
                    connection.commit();
                }
                return stored;
            } catch (SQLException | RuntimeException e) {
                if (!oneStatement) {
                    try {
                        connection.rollback();
                    } catch (SQLException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }
    }

    /** One room's appends: in a statement or a few if all are plain, else through the rules under its row lock. */
    private List<Appended> write(Connection connection, String room, List<Pending> appends) throws SQLException {
        if (appends.isEmpty()) {
            return List.of();
        }
        if (appends.stream().allMatch(p -> p.append().plain())) {
            long last = dialect.write(connection, room, appends, keep);
            if (last == Dialect.NO_ROW) {
                throw noRow(room);
            }
            long seq = last - appends.size();
            List<Appended> stored = new ArrayList<>(appends.size());
            for (Pending p : appends) {
                stored.add(new Appended.Stored(new ChatMessage(p.room(), ++seq, p.user(), p.text(), p.ts())));
            }
            return stored;
        }
        List<Appended> done = JdbcLedger.write(connection, room, appends.stream().map(Pending::append).toList(), keep);
        if (done == null) {
            throw noRow(room);
        }
        return done;
    }

    private SQLException noRow(String room) {
        roomRows.remove(room); // looked up, and made, again by the next batch
        return new SQLException("no sequence row for room " + room);
    }
}
