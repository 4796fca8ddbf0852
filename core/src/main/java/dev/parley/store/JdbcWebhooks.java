package dev.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A database store's webhook events, in {@code parley_webhook} (schema V6): written by
 * the store's writer in the transaction of the entries they are about ({@link #insert}),
 * read and removed by the node that holds the sender's lease ({@code parley_webhook_lease}),
 * which reads each row once ({@link PendingEvents}) and a body only when its event goes.
 * Standard SQL that H2, PostgreSQL and Derby all run.
 */
final class JdbcWebhooks implements WebhookOutbox {
    private static final Logger LOG = Logger.getLogger(JdbcWebhooks.class.getName());
    private static final int TOP_ROOMS = 20;

    private static final String INSERT = "insert into parley_webhook (room, body, created, next_at) values (?, ?, ?, ?)";
    /** How long ids skipped over are read again (a transaction that took them may not have committed yet). */
    private static final long GAP_MILLIS = 30_000;
    private static final int MAX_GAPS = 256;
    /** How often the sending node reads every id, for a transaction that committed later than that. */
    private static final long RECONCILE_MILLIS = 300_000;
    private static final long COUNT_SECONDS = 30;
    private static final int BODIES_AT_ONCE = 32;

    private static final String ROW = "select id, room, length(body), attempts, next_at, created from parley_webhook";
    private static final String SCAN = ROW + " where id between ? and ? order by id";
    private static final String IDS = "select id from parley_webhook";
    private static final String BODIES = "select id, body from parley_webhook where id in (?"
            + ", ?".repeat(BODIES_AT_ONCE - 1) + ")";
    private static final String DELIVERED = "delete from parley_webhook where id = ?";
    private static final String FAILED = "update parley_webhook set attempts = attempts + 1, next_at = ? where id = ?";
    private static final String BACKLOG = "select room, count(*), sum(length(body)) from parley_webhook group by room";
    private static final String LEASE = "update parley_webhook_lease set holder = ?, until_ms = ?"
            + " where name = 'sender' and (holder = ? or holder is null or until_ms < ?)";
    private static final String RELEASE = "update parley_webhook_lease set holder = null, until_ms = 0"
            + " where name = 'sender' and holder = ?";

    private final DataSource database;
    private final AtomicLong dropped = new AtomicLong();
    /** What the last {@link #backlog} found full: the writer keeps no events for these. */
    private volatile Set<String> fullRooms = Set.of();
    private volatile boolean full;
    private volatile long lastWarning;
    /**
     * What the sending node knows of the table ({@link PendingEvents}); null until it reads
     * it all, again whenever it did not hold the lease throughout. The sender's thread only.
     */
    private PendingEvents pending;
    private long leaseUntil;
    private long nextReconcile;
    private long nextCount;
    private Backlog counted = Backlog.NONE;

    JdbcWebhooks(DataSource database) {
        this.database = database;
    }

    /** An event the writer keeps, in its transaction: the room and the JSON. */
    record Row(String room, String body) {
    }

    /** Inserts the batch's events in {@code connection}'s open transaction, in order; those of a full backlog are dropped. */
    void insert(Connection connection, List<Row> rows, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            int kept = 0;
            for (Row row : rows) {
                if (full || fullRooms.contains(row.room())) {
                    drop();
                    continue;
                }
                insert.setString(1, row.room());
                insert.setString(2, row.body());
                insert.setLong(3, now.toEpochMilli());
                insert.setLong(4, now.toEpochMilli());
                insert.addBatch();
                kept++;
            }
            if (kept > 0) {
                insert.executeBatch();
            }
        }
    }

    private void drop() {
        dropped.incrementAndGet();
        long now = System.currentTimeMillis();
        if (now - lastWarning > 60_000) {
            lastWarning = now;
            LOG.warning(() -> "Webhooks: the backlog is full (" + MAX_EVENTS + " events or " + MAX_BYTES / (1024 * 1024)
                    + " MiB in all, " + MAX_ROOM_EVENTS + " a room): new events are not kept until the receiver"
                    + " takes the waiting ones");
        }
    }

    @Override
    public List<Event> due(Instant now, Set<String> busy, int max) {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(true);
            PendingEvents known = read(connection);
            List<PendingEvents.Row> heads = known.due(now.toEpochMilli(), busy, max);
            Map<Long, String> bodies = bodies(connection, heads);
            List<Event> due = new ArrayList<>(heads.size());
            for (PendingEvents.Row head : heads) {
                String body = bodies.get(head.id());
                if (body == null) { // no longer there: another node took it while it held the lease
                    known.remove(head.room(), head.id());
                } else {
                    due.add(new Event(head.id(), head.room(), body, head.attempts(), Instant.ofEpochMilli(head.created())));
                }
            }
            return due;
        } catch (SQLException e) {
            pending = null;
            throw new StoreException("Cannot read the webhook events: " + e.getMessage(), e);
        }
    }

    /** What waits, brought up to date: the rows past the highest id known, those in its gaps, and now and then all ids. */
    private PendingEvents read(Connection connection) throws SQLException {
        long now = System.currentTimeMillis();
        if (pending == null) {
            pending = new PendingEvents(GAP_MILLIS, MAX_GAPS);
            nextReconcile = now + RECONCILE_MILLIS;
        }
        PendingEvents known = pending;
        for (PendingEvents.Gap gap : known.gaps(now)) {
            rows(connection, gap.from(), gap.to(), row -> known.add(row, now));
        }
        rows(connection, known.highest() + 1, Long.MAX_VALUE, row -> known.add(row, now));
        if (now >= nextReconcile) {
            nextReconcile = now + RECONCILE_MILLIS;
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(IDS); ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    ids.add(result.getLong(1));
                }
            }
            List<Long> missed = known.unknown(ids);
            if (!missed.isEmpty()) {
                LOG.fine(() -> "webhooks: " + missed.size() + " events committed late, found by reading every id");
            }
            for (long id : missed) {
                rows(connection, id, id, known::addLate);
            }
        }
        return known;
    }

    private interface RowSink {
        void accept(PendingEvents.Row row);
    }

    /** Reads the rows with ids {@code from} to {@code to}, in id order. */
    private static void rows(Connection connection, long from, long to, RowSink sink) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SCAN)) {
            select.setLong(1, from);
            select.setLong(2, to);
            select.setFetchSize(1000);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    sink.accept(new PendingEvents.Row(result.getLong(1), result.getString(2), result.getInt(3),
                            result.getInt(4), result.getLong(5), result.getLong(6)));
                }
            }
        }
    }

    /** The bodies of these events, by id, {@value #BODIES_AT_ONCE} to a statement; an id no longer there is absent. */
    private static Map<Long, String> bodies(Connection connection, List<PendingEvents.Row> rows) throws SQLException {
        Map<Long, String> bodies = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(BODIES)) {
            for (int from = 0; from < rows.size(); from += BODIES_AT_ONCE) {
                for (int i = 0; i < BODIES_AT_ONCE; i++) {
                    select.setLong(i + 1, from + i < rows.size() ? rows.get(from + i).id() : -1);
                }
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        bodies.put(result.getLong(1), result.getString(2));
                    }
                }
            }
        }
        return bodies;
    }

    @Override
    public void delivered(List<Event> events) {
        batch(DELIVERED, events, (statement, event) -> statement.setLong(1, event.id()));
        PendingEvents known = pending;
        if (known != null) {
            events.forEach(event -> known.remove(event.room(), event.id()));
        }
    }

    @Override
    public void failed(List<Retry> retries) {
        batch(FAILED, retries, (statement, retry) -> {
            statement.setLong(1, retry.next().toEpochMilli());
            statement.setLong(2, retry.event().id());
        });
        PendingEvents known = pending;
        if (known != null) {
            retries.forEach(retry -> known.failed(retry.event().room(), retry.event().id(), retry.next().toEpochMilli()));
        }
    }

    /**
     * What waits. The sending node knows it without asking the database; another node
     * counts the table, every {@value #COUNT_SECONDS} s at most (between, the last count).
     */
    @Override
    public Backlog backlog() {
        PendingEvents known = pending;
        if (known != null) {
            try (Connection connection = database.getConnection()) {
                connection.setAutoCommit(true);
                read(connection);
            } catch (SQLException e) {
                pending = null;
                throw new StoreException("Cannot read the webhook events: " + e.getMessage(), e);
            }
            return backlog(known.events(), known.bytes(), known.rooms());
        }
        long now = System.currentTimeMillis();
        if (now < nextCount) {
            return counted;
        }
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(BACKLOG);
             ResultSet result = select.executeQuery()) {
            long events = 0;
            long bytes = 0;
            Map<String, Long> rooms = new HashMap<>();
            while (result.next()) {
                long count = result.getLong(2);
                events += count;
                bytes += result.getLong(3);
                rooms.put(result.getString(1), count);
            }
            counted = backlog(events, bytes, rooms);
            nextCount = now + TimeUnit.SECONDS.toMillis(COUNT_SECONDS);
            return counted;
        } catch (SQLException e) {
            throw new StoreException("Cannot read the webhook backlog: " + e.getMessage(), e);
        }
    }

    /** The backlog of these counts; it also tells the writer which rooms are full. */
    private Backlog backlog(long events, long bytes, Map<String, Long> rooms) {
        List<String> fullNow = new ArrayList<>();
        rooms.forEach((room, count) -> {
            if (count >= MAX_ROOM_EVENTS) {
                fullNow.add(room);
            }
        });
        fullRooms = Set.copyOf(fullNow);
        full = events >= MAX_EVENTS || bytes >= MAX_BYTES;
        Map<String, Long> top = new LinkedHashMap<>();
        rooms.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(TOP_ROOMS)
                .forEach(room -> top.put(room.getKey(), room.getValue()));
        return new Backlog(events, bytes, top);
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public boolean lease(String holder, Instant now, Duration ttl) {
        boolean held = update(LEASE, statement -> {
            statement.setString(1, holder);
            statement.setLong(2, now.plus(ttl).toEpochMilli());
            statement.setString(3, holder);
            statement.setLong(4, now.toEpochMilli());
        }) == 1;
        if (!held || leaseUntil < now.toEpochMilli()) { // not ours, or newly ours: another node may have sent meanwhile
            pending = null;
        }
        leaseUntil = held ? now.plus(ttl).toEpochMilli() : 0;
        return held;
    }

    @Override
    public void release(String holder) {
        pending = null;
        leaseUntil = 0;
        update(RELEASE, statement -> statement.setString(1, holder));
    }

    private interface Binding {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private interface ItemBinding<T> {
        void bind(PreparedStatement statement, T item) throws SQLException;
    }

    /** Runs one statement for each item, in one transaction. */
    private <T> void batch(String sql, List<T> items, ItemBinding<T> binding) {
        if (items.isEmpty()) {
            return;
        }
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (T item : items) {
                    binding.bind(statement, item);
                    statement.addBatch();
                }
                statement.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot update the webhook events: " + e.getMessage(), e);
        }
    }

    /** Runs one statement in autocommit; how many rows it changed. */
    private int update(String sql, Binding binding) {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            binding.bind(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot update the webhook events: " + e.getMessage(), e);
        }
    }
}
