package dev.parley.store;

import dev.parley.metrics.Meters;
import dev.parley.protocol.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * History in a relational database (H2, PostgreSQL or Derby; one schema, migrated by Flyway:
 * {@link Migrations}).
 * The statements are standard SQL that all three run, but for what differs between the
 * databases, which is the {@link Dialect}'s: PostgreSQL's single-statement write, the
 * schema's scripts in db/migration (H2, PostgreSQL) and db/derby (Derby).
 *
 * <p>Group commit: appends go into a queue; one writer thread takes everything that
 * queued up while its previous commit ran (and, while messages keep coming, for a
 * moment more) and stores it in one transaction, then completes the appends in order.
 * So a message is committed before anyone hears of it, and under load many messages
 * share one commit.
 *
 * <p>The database is the sequencer: in that transaction each room's row in
 * {@code parley_room} is raised by the number of its messages in the batch, and the
 * messages take the seqs below the new value. The row lock orders commits of one room,
 * from any number of nodes, so no seq is handed out twice, and a rolled-back commit
 * uses none, so no room gets a gap. Rows are locked in room order: two nodes' batches
 * never deadlock.
 */
public final class JdbcHistoryStore implements HistoryStore {
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

    private static final String CLOSED = "select closed from parley_room where room = ?";
    private static final String SET_CLOSED = "update parley_room set closed = ? where room = ?";
    private static final String CLOSED_ROOMS = "select room from parley_room where closed = true order by room";
    private static final String FIRST = "select min(seq) from parley_message where room = ?";
    /** Standard SQL's fetch first, which H2, PostgreSQL and Derby all take (Derby has no limit). */
    private static final String BEFORE = "select seq, username, body, ts from parley_message"
            + " where room = ? and seq < ? order by seq desc fetch first ? rows only";
    private static final String FOLLOWING = "select seq, username, body, ts from parley_message"
            + " where room = ? and seq > ? order by seq fetch first ? rows only";
    private static final String AFTER =
            "select seq, username, body, ts from parley_message where room = ? and seq > ? and seq <= ? order by seq";

    private final DataSource database;
    private final Dialect dialect;
    private final boolean shareable;
    private final int keep;
    private final String description;
    private final String kind; // what the description says but the URL
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
    private final Meters meters;
    private boolean failing; // writer thread only: the last commit failed

    record Pending(String room, String user, String text, Instant ts, CompletableFuture<ChatMessage> stored) {
        long bytes() {
            return 2L * text.length();
        }
    }

    /**
     * Migrates the schema and starts the writer.
     *
     * @param keep messages kept per room, 0 for all
     * @throws StoreException if the database cannot be reached or migrated
     */
    public JdbcHistoryStore(DataSource database, int keep) {
        this(database, keep, Meters.none());
    }

    /**
     * @param keep   messages kept per room, 0 for all
     * @param meters where the writer counts its commits
     * @throws StoreException if the database cannot be reached or migrated
     */
    public JdbcHistoryStore(DataSource database, int keep, Meters meters) {
        this.database = database;
        this.meters = meters;
        this.keep = keep;
        Migrations.Database migrated = Migrations.migrate(database);
        this.dialect = migrated.dialect();
        this.shareable = migrated.shareable();
        this.kind = "jdbc, " + migrated.product() + " " + migrated.version();
        this.description = kind + " at " + migrated.url()
                + (keep == 0 ? ", every message kept" : ", " + keep + " messages kept per room");
        if (migrated.inMemory()) {
            LOG.warning(() -> "History is kept in an in-memory database (" + migrated.url() + "), and lost when the"
                    + " server stops: WildFly's stock default DataSource is one. Give the server a DataSource and set"
                    + " parley.datasource (PARLEY_DATASOURCE) to its JNDI name (server-config/ has one for each server)");
        }
        writer = new Thread(this::writeLoop, "parley-store-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public boolean shareable() {
        return shareable;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String kind() {
        return kind;
    }

    /** A connection from the pool, validated by the driver (PostgreSQL: an empty query), in two seconds at most. */
    @Override
    public void check() {
        try (Connection connection = database.getConnection()) {
            if (!connection.isValid(2)) {
                throw new StoreException("the database did not answer in 2 s", null);
            }
        } catch (SQLException e) {
            throw new StoreException("the database is not answering: " + StoreException.rootMessage(e), e);
        }
    }

    @Override
    public long lastSeq(String room) {
        return queryLong(Dialect.LAST, room);
    }

    @Override
    public CompletionStage<ChatMessage> append(String room, String user, String text, Instant ts) {
        CompletableFuture<ChatMessage> stored = new CompletableFuture<>();
        Pending pending = new Pending(room, user, text, ts, stored);
        long bytes = pending.bytes();
        if (closing || pendingBytes.addAndGet(bytes) > MAX_PENDING_BYTES || !queue.offer(pending)) {
            pendingBytes.addAndGet(-bytes);
            stored.completeExceptionally(new StoreException("the store is not taking messages now"));
        }
        return stored;
    }

    @Override
    public List<ChatMessage> before(String room, long before, int limit) {
        return query(BEFORE, room, select -> {
            select.setLong(2, before);
            select.setInt(3, limit);
            List<ChatMessage> newestFirst = read(room, select);
            Collections.reverse(newestFirst);
            return newestFirst;
        });
    }

    @Override
    public List<ChatMessage> following(String room, long since, int limit) {
        return query(FOLLOWING, room, select -> {
            select.setLong(2, since);
            select.setInt(3, limit);
            return read(room, select);
        });
    }

    @Override
    public Optional<List<ChatMessage>> after(String room, long since, int max) {
        long last = lastSeq(room);
        if (since > last || last - since > max) {
            return Optional.empty();
        }
        if (since == last) {
            return Optional.of(List.of());
        }
        if (queryLong(FIRST, room) > since + 1) {
            return Optional.empty(); // trimmed by PARLEY_HISTORY_KEEP
        }
        List<ChatMessage> missed = query(AFTER, room, select -> {
            select.setLong(2, since);
            select.setLong(3, last); // what other nodes commit meanwhile comes live
            return read(room, select);
        });
        return missed.size() == last - since ? Optional.of(missed) : Optional.empty();
    }

    /** Stores what is queued, then stops the writer. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the writer ----

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
        List<ChatMessage> stored;
        long start = System.nanoTime();
        try {
            addRoomRows(byRoom.keySet());
            stored = commit(byRoom);
            meters.committed(batch.size(), System.nanoTime() - start);
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
     * Stores a batch: takes each room's seqs, inserts the messages, trims. Returns them in
     * byRoom's order. All rooms in one transaction, or, for one room where the dialect
     * writes a room in one statement (PostgreSQL), that statement in autocommit: one round
     * trip for the whole commit.
     */
    private List<ChatMessage> commit(TreeMap<String, List<Pending>> byRoom) throws SQLException {
        try (Connection connection = database.getConnection()) {
            boolean oneStatement = dialect.oneStatementPerRoom() && byRoom.size() == 1;
            connection.setAutoCommit(oneStatement);
            try {
                List<ChatMessage> stored = new ArrayList<>();
                for (Map.Entry<String, List<Pending>> room : byRoom.entrySet()) {
                    List<Pending> messages = room.getValue();
                    long last = dialect.write(connection, room.getKey(), messages, keep);
                    if (last == Dialect.NO_ROW) {
                        roomRows.remove(room.getKey()); // looked up, and made, again by the next batch
                        throw new SQLException("no sequence row for room " + room.getKey());
                    }
                    long seq = last - messages.size();
                    for (Pending p : messages) {
                        stored.add(new ChatMessage(p.room(), ++seq, p.user(), p.text(), p.ts()));
                    }
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

    // ---- closed rooms ----

    @Override
    public boolean closed(String room) {
        return query(CLOSED, room, select -> {
            try (ResultSet result = select.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        });
    }

    /** On the room's sequence row, made here if the room has none yet (as the writer would). */
    @Override
    public void markClosed(String room, boolean closed) {
        try (Connection connection = database.getConnection()) {
            Dialect.addRoomRowIfMissing(connection, room);
            try (PreparedStatement update = connection.prepareStatement(SET_CLOSED)) {
                update.setBoolean(1, closed);
                update.setString(2, room);
                update.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot " + (closed ? "close" : "reopen") + " the room: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> closedRooms(int limit) {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(CLOSED_ROOMS)) {
            select.setMaxRows(limit);
            List<String> rooms = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rooms.add(result.getString(1));
                }
            }
            return rooms;
        } catch (SQLException e) {
            throw new StoreException("Cannot read the closed rooms: " + e.getMessage(), e);
        }
    }

    // ---- reading ----

    private long queryLong(String sql, String room) {
        return query(sql, room, select -> {
            try (ResultSet result = select.executeQuery()) {
                return result.next() ? result.getLong(1) : 0; // no row, or min of no rows (null): 0
            }
        });
    }

    /** What a query of one room yields; parameter 1 is the room, the rest are the reader's. */
    private interface RoomQuery<T> {
        T run(PreparedStatement select) throws SQLException;
    }

    private <T> T query(String sql, String room, RoomQuery<T> reader) {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, room);
            return reader.run(select);
        } catch (SQLException e) {
            throw new StoreException("Cannot read history: " + e.getMessage(), e);
        }
    }

    private static List<ChatMessage> read(String room, PreparedStatement select) throws SQLException {
        List<ChatMessage> messages = new ArrayList<>();
        try (ResultSet result = select.executeQuery()) {
            while (result.next()) {
                messages.add(new ChatMessage(room, result.getLong(1), result.getString(2),
                        new String(result.getBytes(3), StandardCharsets.UTF_8), Instant.ofEpochMilli(result.getLong(4))));
            }
        }
        return messages;
    }
}
