package dev.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A database store's webhook events, in {@code parley_webhook} (schema V6): written by
 * the store's writer in the transaction of the entries they are about ({@link #insert}),
 * read and removed by the node that holds the sender's lease ({@code parley_webhook_lease}).
 * Standard SQL that H2, PostgreSQL and Derby all run.
 */
final class JdbcWebhooks implements WebhookOutbox {
    private static final Logger LOG = Logger.getLogger(JdbcWebhooks.class.getName());
    private static final int TOP_ROOMS = 20;

    private static final String INSERT = "insert into parley_webhook (room, body, created, next_at) values (?, ?, ?, ?)";
    private static final String DUE = "select w.id, w.room, w.body, w.attempts, w.created from parley_webhook w"
            + " where w.id in (select min(id) from parley_webhook group by room) and w.next_at <= ? order by w.id";
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
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(DUE)) {
            select.setLong(1, now.toEpochMilli());
            select.setMaxRows(max + busy.size());
            List<Event> due = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next() && due.size() < max) {
                    String room = result.getString(2);
                    if (!busy.contains(room)) {
                        due.add(new Event(result.getLong(1), room, result.getString(3), result.getInt(4),
                                Instant.ofEpochMilli(result.getLong(5))));
                    }
                }
            }
            return due;
        } catch (SQLException e) {
            throw new StoreException("Cannot read the webhook events: " + e.getMessage(), e);
        }
    }

    @Override
    public void delivered(Event event) {
        update(DELIVERED, statement -> statement.setLong(1, event.id()));
    }

    @Override
    public void failed(Event event, Instant next) {
        update(FAILED, statement -> {
            statement.setLong(1, next.toEpochMilli());
            statement.setLong(2, event.id());
        });
    }

    @Override
    public Backlog backlog() {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(BACKLOG);
             ResultSet result = select.executeQuery()) {
            long events = 0;
            long bytes = 0;
            Map<String, Long> rooms = new LinkedHashMap<>();
            List<String> fullNow = new ArrayList<>();
            while (result.next()) {
                long count = result.getLong(2);
                events += count;
                bytes += result.getLong(3);
                rooms.put(result.getString(1), count);
                if (count >= MAX_ROOM_EVENTS) {
                    fullNow.add(result.getString(1));
                }
            }
            fullRooms = Set.copyOf(fullNow);
            full = events >= MAX_EVENTS || bytes >= MAX_BYTES;
            Map<String, Long> top = new LinkedHashMap<>();
            rooms.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(TOP_ROOMS)
                    .forEach(room -> top.put(room.getKey(), room.getValue()));
            return new Backlog(events, bytes, top);
        } catch (SQLException e) {
            throw new StoreException("Cannot read the webhook backlog: " + e.getMessage(), e);
        }
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public boolean lease(String holder, Instant now, Duration ttl) {
        return update(LEASE, statement -> {
            statement.setString(1, holder);
            statement.setLong(2, now.plus(ttl).toEpochMilli());
            statement.setString(3, holder);
            statement.setLong(4, now.toEpochMilli());
        }) == 1;
    }

    @Override
    public void release(String holder) {
        update(RELEASE, statement -> statement.setString(1, holder));
    }

    private interface Binding {
        void bind(PreparedStatement statement) throws SQLException;
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
