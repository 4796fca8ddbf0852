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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * History in a relational database (H2, PostgreSQL or Derby; one schema, migrated by Flyway),
 * put together from three parts: {@link Migrations} brings the schema up to date when the
 * store opens (on PostgreSQL under a lock), the {@link GroupCommit} writer stores appends a
 * batch to a transaction and gives them their seqs, and the {@link Dialect} is what differs
 * between the databases (their scripts: db/migration for H2 and PostgreSQL, db/derby for
 * Derby; PostgreSQL's single-statement write). What stays here are the reads and the closed
 * rooms, in standard SQL that all three run.
 */
public final class JdbcHistoryStore implements HistoryStore {
    private static final Logger LOG = Logger.getLogger(JdbcHistoryStore.class.getName());

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
    private final boolean shareable;
    private final String description;
    private final String kind; // what the description says but the URL
    private final GroupCommit writer;

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
        Migrations.Database migrated = Migrations.migrate(database);
        this.shareable = migrated.shareable();
        this.kind = "jdbc, " + migrated.product() + " " + migrated.version();
        this.description = kind + " at " + migrated.url()
                + (keep == 0 ? ", every message kept" : ", " + keep + " messages kept per room");
        if (migrated.inMemory()) {
            LOG.warning(() -> "History is kept in an in-memory database (" + migrated.url() + "), and lost when the"
                    + " server stops: WildFly's stock default DataSource is one. Give the server a DataSource and set"
                    + " parley.datasource (PARLEY_DATASOURCE) to its JNDI name (server-config/ has one for each server)");
        }
        writer = new GroupCommit(database, migrated.dialect(), keep, meters);
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

    /** Queued for the writer's next commit ({@link GroupCommit}). */
    @Override
    public CompletionStage<ChatMessage> append(String room, String user, String text, Instant ts) {
        return writer.append(room, user, text, ts);
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
        writer.close();
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
