package dev.parley.store;

import dev.parley.protocol.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * History in a relational database (H2 or PostgreSQL, one schema, migrated by Flyway).
 *
 * <p>Group commit: appends go into a queue; one writer thread takes everything that
 * queued up while its previous commit ran and stores it in one transaction, then
 * completes the appends in order. So a message is committed before anyone hears of
 * it, and under load many messages share one commit.
 *
 * <p>The writer knows each room's last committed seq and refuses an append that does
 * not follow it. After a failed commit the refused appends of that room follow, so no
 * room ever gets a gap; the registry re-reads {@link #lastSeq} and carries on.
 */
public final class JdbcHistoryStore implements HistoryStore {
    private static final Logger LOG = Logger.getLogger(JdbcHistoryStore.class.getName());
    private static final int MAX_BATCH = 2000;
    private static final int MAX_PENDING = 100_000;
    /** What waits for the writer at most, in bytes of text (two a character): a slow database refuses, never swells. */
    private static final long MAX_PENDING_BYTES = 64L * 1024 * 1024;
    /** Rooms whose last seq the writer keeps in memory; others are read from the database when written. */
    private static final int MAX_ROOMS_REMEMBERED = 100_000;

    private static final String INSERT = "insert into parley_message (room, seq, username, body, ts) values (?, ?, ?, ?, ?)";
    private static final String TRIM = "delete from parley_message where room = ? and seq <= ?";
    private static final String LAST = "select max(seq) from parley_message where room = ?";
    private static final String FIRST = "select min(seq) from parley_message where room = ?";
    private static final String BEFORE =
            "select seq, username, body, ts from parley_message where room = ? and seq < ? order by seq desc limit ?";
    private static final String AFTER =
            "select seq, username, body, ts from parley_message where room = ? and seq > ? order by seq";

    private final DataSource database;
    private final int keep;
    private final String description;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_PENDING);
    private final AtomicLong pendingBytes = new AtomicLong();
    /**
     * The last committed seq of the rooms written lately, least recently written first to
     * go. Only the writer puts, after its commits, so an entry is never behind the database.
     */
    private final Map<String, Long> committed = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_ROOMS_REMEMBERED;
        }
    });
    private final Thread writer;
    private volatile boolean closing;
    private boolean failing; // writer thread only: the last commit failed

    private record Pending(ChatMessage message, CompletableFuture<Void> stored) {
    }

    /**
     * Migrates the schema and starts the writer.
     *
     * @param keep messages kept per room, 0 for all
     * @throws StoreException if the database cannot be reached or migrated
     */
    public JdbcHistoryStore(DataSource database, int keep) {
        this.database = database;
        this.keep = keep;
        this.description = migrate(database) + (keep == 0 ? ", every message kept" : ", " + keep + " messages kept per room");
        writer = new Thread(this::writeLoop, "parley-store-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private static String migrate(DataSource database) {
        try {
            Flyway.configure(JdbcHistoryStore.class.getClassLoader())
                    .dataSource(database)
                    .locations("classpath:db/migration")
                    .table("parley_schema_history")
                    .baselineOnMigrate(true)
                    .load()
                    .migrate();
            try (Connection connection = database.getConnection()) {
                DatabaseMetaData meta = connection.getMetaData();
                return "jdbc, " + meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion().split(" ")[0]
                        + " at " + meta.getURL();
            }
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("Cannot use the database: " + rootMessage(e), e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public long lastSeq(String room) {
        Long last = committed.get(room);
        return last != null ? last : queryLong(LAST, room);
    }

    @Override
    public CompletionStage<Void> append(ChatMessage message) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        long bytes = bytes(message);
        if (closing || pendingBytes.addAndGet(bytes) > MAX_PENDING_BYTES
                || !queue.offer(new Pending(message, stored))) {
            pendingBytes.addAndGet(-bytes);
            stored.completeExceptionally(new StoreException("the store is not taking messages now"));
        }
        return stored;
    }

    private static long bytes(ChatMessage message) {
        return 2L * message.text().length();
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
        while (!closing || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                pendingBytes.addAndGet(-batch.stream().mapToLong(p -> bytes(p.message())).sum());
                write(batch);
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
        Map<String, Long> next = new HashMap<>(); // each room's last seq as of this batch
        List<Pending> accepted = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            ChatMessage message = pending.message();
            String room = message.room();
            try {
                long last = next.containsKey(room) ? next.get(room) : lastSeq(room);
                if (message.seq() != last + 1) {
                    pending.stored().completeExceptionally(
                            new StoreException("seq " + message.seq() + " does not follow " + last + " in " + room));
                    continue;
                }
                next.put(room, message.seq());
                accepted.add(pending);
            } catch (StoreException e) {
                pending.stored().completeExceptionally(e);
            }
        }
        if (accepted.isEmpty()) {
            return;
        }
        try {
            commit(accepted, next);
        } catch (SQLException e) {
            if (!failing) {
                LOG.log(Level.WARNING, "History store: cannot commit, messages are refused until the database is back: {0}",
                        rootMessage(e));
                failing = true;
            }
            StoreException failure = new StoreException("Cannot store: " + e.getMessage(), e);
            accepted.forEach(p -> p.stored().completeExceptionally(failure));
            return;
        }
        if (failing) {
            LOG.info("History store: the database is back");
            failing = false;
        }
        committed.putAll(next);
        accepted.forEach(p -> p.stored().complete(null));
    }

    private void commit(List<Pending> accepted, Map<String, Long> lastSeqs) throws SQLException {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (Pending pending : accepted) {
                    ChatMessage m = pending.message();
                    insert.setString(1, m.room());
                    insert.setLong(2, m.seq());
                    insert.setString(3, m.user());
                    insert.setBytes(4, m.text().getBytes(StandardCharsets.UTF_8));
                    insert.setLong(5, m.ts().toEpochMilli());
                    insert.addBatch();
                }
                insert.executeBatch();
                if (keep > 0) {
                    try (PreparedStatement trim = connection.prepareStatement(TRIM)) {
                        for (Map.Entry<String, Long> room : lastSeqs.entrySet()) {
                            trim.setString(1, room.getKey());
                            trim.setLong(2, room.getValue() - keep);
                            trim.addBatch();
                        }
                        trim.executeBatch();
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    // ---- reading ----

    private long queryLong(String sql, String room) {
        return query(sql, room, select -> {
            try (ResultSet result = select.executeQuery()) {
                result.next();
                return result.getLong(1); // max/min of no rows: null, read as 0
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

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
