package dev.parley.store;

import dev.parley.metrics.Meters;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Logged;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
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
    private static final String ROOMS = "select room, last_seq from parley_room where last_seq > 0 and room > ? order by room";
    private static final String FIRST = "select min(seq) from parley_message where room = ?";
    private static final String COLUMNS =
            "select seq, username, body, ts, kind, ref_seq, emoji, emoji_on, edited, deleted from parley_message";
    /** Standard SQL's fetch first, which H2, PostgreSQL and Derby all take (Derby has no limit). */
    private static final String BEFORE = COLUMNS + " where room = ? and seq < ? order by seq desc fetch first ? rows only";
    private static final String FOLLOWING = COLUMNS + " where room = ? and seq > ? order by seq fetch first ? rows only";
    private static final String AFTER = COLUMNS + " where room = ? and seq > ? and seq <= ? order by seq";
    /** The reactions on a page's messages: the page's range of seqs, so as many rows as the page has reactions. */
    private static final String REACTIONS =
            "select ref_seq, emoji, username from parley_reaction where room = ? and ref_seq >= ? and ref_seq <= ?";

    private final DataSource database;
    private final boolean shareable;
    private final String description;
    private final String kind; // what the description says but the URL
    private final GroupCommit writer;
    /** Webhook events, once they are recorded; null before. */
    private volatile JdbcWebhooks webhooks;

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

    @Override
    public void recordWebhooks() {
        JdbcWebhooks outbox = new JdbcWebhooks(database);
        webhooks = outbox;
        writer.recordWebhooks(outbox);
    }

    @Override
    public WebhookOutbox webhooks() {
        JdbcWebhooks outbox = webhooks;
        return outbox == null ? WebhookOutbox.NONE : outbox;
    }

    @Override
    public void note(String room, String frame) {
        writer.note(room, frame);
    }

    /** Queued for the writer's next commit ({@link GroupCommit}). */
    @Override
    public CompletionStage<Appended> append(String room, Append entry) {
        return writer.append(room, entry);
    }

    @Override
    public List<Logged> before(String room, long before, int limit) {
        return query(BEFORE, room, (connection, select) -> {
            select.setLong(2, before);
            select.setInt(3, limit);
            List<Logged> newestFirst = read(connection, room, select);
            Collections.reverse(newestFirst);
            return newestFirst;
        });
    }

    @Override
    public List<Logged> following(String room, long since, int limit) {
        return query(FOLLOWING, room, (connection, select) -> {
            select.setLong(2, since);
            select.setInt(3, limit);
            return read(connection, room, select);
        });
    }

    @Override
    public Optional<List<Logged>> after(String room, long since, int max) {
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
        List<Logged> missed = query(AFTER, room, (connection, select) -> {
            select.setLong(2, since);
            select.setLong(3, last); // what other nodes commit meanwhile comes live
            return read(connection, room, select);
        });
        return missed.size() == last - since ? Optional.of(missed) : Optional.empty();
    }

    /** Stores what is queued, then stops the writer. */
    @Override
    public void close() {
        writer.close();
    }

    // ---- closed rooms ----

    // ---- read positions ----

    private static final String READ = "select seq from parley_read where room = ? and username = ?";
    private static final String READ_RAISED = "update parley_read set seq = ? where room = ? and username = ? and seq < ?";
    private static final String READ_FIRST = "insert into parley_read (room, username, seq) values (?, ?, ?)";
    private static final String UNREAD = "select count(*) from parley_message"
            + " where room = ? and seq > ? and kind = 0 and deleted = false and username <> ?";

    @Override
    public long readPosition(String room, String user) {
        return query(READ, room, (connection, select) -> {
            select.setString(2, user);
            try (ResultSet result = select.executeQuery()) {
                return result.next() ? result.getLong(1) : 0L;
            }
        });
    }

    /** Raised where it is lower; made where there is none (another node may make it at the same moment: then raised). */
    @Override
    public boolean markRead(String room, String user, long seq) {
        try (Connection connection = database.getConnection()) {
            for (int attempt = 0; attempt < 2; attempt++) {
                try (PreparedStatement raise = connection.prepareStatement(READ_RAISED)) {
                    raise.setLong(1, seq);
                    raise.setString(2, room);
                    raise.setString(3, user);
                    raise.setLong(4, seq);
                    if (raise.executeUpdate() == 1) {
                        return true;
                    }
                }
                try (PreparedStatement first = connection.prepareStatement(READ_FIRST)) {
                    first.setString(1, room);
                    first.setString(2, user);
                    first.setLong(3, seq);
                    first.executeUpdate();
                    return true;
                } catch (SQLException exists) {
                    if (!Dialect.isDuplicateKey(exists)) {
                        throw exists;
                    }
                    // there is a position: raise it, if it is lower, on the next pass
                }
            }
            return false;
        } catch (SQLException e) {
            throw new StoreException("Cannot keep the read position: " + e.getMessage(), e);
        }
    }

    @Override
    public ReadState readState(String room, String user) {
        long last = lastSeq(room);
        long read = readPosition(room, user);
        if (read == 0 || read >= last) {
            return new ReadState(last, read, 0);
        }
        long unread = query(UNREAD, room, (connection, select) -> {
            select.setLong(2, read);
            select.setString(3, user);
            try (ResultSet result = select.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        });
        return new ReadState(last, read, unread);
    }

    // ---- sanctions ----

    private static final String SANCTION_LIFTED = "delete from parley_sanction where room = ? and username = ? and kind = ?";
    private static final String SANCTION_SET = "insert into parley_sanction (room, username, kind, until_ms) values (?, ?, ?, ?)";
    private static final String SANCTIONS = "select username, kind, until_ms from parley_sanction"
            + " where room = ? and until_ms > ? order by username fetch first " + Sanction.MAX_PER_ROOM + " rows only";

    /** Replaced in one transaction: the old row deleted, the new one inserted. */
    @Override
    public void sanction(String room, String user, Sanction.Kind kind, Instant until) {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lift = connection.prepareStatement(SANCTION_LIFTED)) {
                    lift.setString(1, room);
                    lift.setString(2, user);
                    lift.setInt(3, kind.ordinal());
                    lift.executeUpdate();
                }
                if (until != null) {
                    try (PreparedStatement set = connection.prepareStatement(SANCTION_SET)) {
                        set.setString(1, room);
                        set.setString(2, user);
                        set.setInt(3, kind.ordinal());
                        set.setLong(4, Sanction.millis(until));
                        set.executeUpdate();
                    }
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot keep the " + kind.name().toLowerCase() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Sanction> sanctions(String room, Instant now) {
        return query(SANCTIONS, room, (connection, select) -> {
            select.setLong(2, now.toEpochMilli());
            List<Sanction> found = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    found.add(new Sanction(result.getString(1), Sanction.Kind.values()[result.getInt(2)],
                            Sanction.instant(result.getLong(3))));
                }
            }
            return found;
        });
    }

    @Override
    public boolean closed(String room) {
        return query(CLOSED, room, (connection, select) -> {
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
    public List<RoomLast> rooms(String after, int limit) {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(ROOMS)) {
            select.setString(1, after);
            select.setMaxRows(limit);
            List<RoomLast> rooms = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rooms.add(new RoomLast(result.getString(1), result.getLong(2)));
                }
            }
            return rooms;
        } catch (SQLException e) {
            throw new StoreException("Cannot read the rooms: " + e.getMessage(), e);
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
        return query(sql, room, (connection, select) -> {
            try (ResultSet result = select.executeQuery()) {
                return result.next() ? result.getLong(1) : 0; // no row, or min of no rows (null): 0
            }
        });
    }

    /** What a query of one room yields; parameter 1 is the room, the rest are the reader's. */
    private interface RoomQuery<T> {
        T run(Connection connection, PreparedStatement select) throws SQLException;
    }

    private <T> T query(String sql, String room, RoomQuery<T> reader) {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, room);
            return reader.run(connection, select);
        } catch (SQLException e) {
            throw new StoreException("Cannot read history: " + e.getMessage(), e);
        }
    }

    /** The entries the query selects ({@link #COLUMNS}), its messages with their reactions. */
    private static List<Logged> read(Connection connection, String room, PreparedStatement select) throws SQLException {
        List<Logged> entries = new ArrayList<>();
        long firstMessage = Long.MAX_VALUE;
        long lastMessage = 0;
        try (ResultSet result = select.executeQuery()) {
            while (result.next()) {
                long seq = result.getLong(1);
                String user = result.getString(2);
                String body = new String(result.getBytes(3), StandardCharsets.UTF_8);
                Instant ts = Instant.ofEpochMilli(result.getLong(4));
                long ref = result.getLong(6);
                entries.add(switch (Append.Kind.of(result.getInt(5))) {
                    case MESSAGE -> {
                        firstMessage = Math.min(firstMessage, seq);
                        lastMessage = Math.max(lastMessage, seq);
                        long edited = result.getLong(9);
                        boolean wasEdited = !result.wasNull();
                        yield result.getBoolean(10) ? ChatMessage.of(room, seq, user, body, ts, ref).asDeleted()
                                : new ChatMessage(room, seq, user, body, ts, ref,
                                        wasEdited ? Instant.ofEpochMilli(edited) : null, null, false);
                    }
                    case EDIT -> new Logged.Edit(room, seq, ref, user, body, ts);
                    case DELETE -> new Logged.Delete(room, seq, ref, user, ts);
                    case REACT -> new Logged.React(room, seq, ref, user, result.getString(7), result.getBoolean(8), ts);
                });
            }
        }
        return lastMessage == 0 ? entries : withReactions(connection, room, entries, firstMessage, lastMessage);
    }

    /** The page's messages with the reactions they have, read for the page's range of seqs. */
    private static List<Logged> withReactions(Connection connection, String room, List<Logged> entries, long first,
            long last) throws SQLException {
        Map<Long, SortedMap<String, List<String>>> reactions = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(REACTIONS)) {
            select.setString(1, room);
            select.setLong(2, first);
            select.setLong(3, last);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    reactions.computeIfAbsent(result.getLong(1), seq -> new TreeMap<>())
                            .computeIfAbsent(result.getString(2), emoji -> new ArrayList<>()).add(result.getString(3));
                }
            }
        }
        if (reactions.isEmpty()) {
            return entries;
        }
        List<Logged> withThem = new ArrayList<>(entries.size());
        for (Logged entry : entries) {
            SortedMap<String, List<String>> on = reactions.get(entry.seq());
            if (on != null && entry instanceof ChatMessage message && !message.deleted()) {
                on.values().forEach(names -> names.sort(null));
                withThem.add(message.withReactions(Collections.unmodifiableSortedMap(on)));
            } else {
                withThem.add(entry);
            }
        }
        return withThem;
    }
}
