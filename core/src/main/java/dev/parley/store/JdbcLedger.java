package dev.parley.store;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Logged;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One room's log in the database, as {@link LogRules} reads and changes it, inside the
 * writer's transaction and under the room's row lock: what it reads includes what it
 * wrote before in the same transaction, and no other node writes the room meanwhile.
 * Standard SQL that H2, PostgreSQL and Derby all run.
 */
final class JdbcLedger implements LogRules.Ledger, AutoCloseable {
    private static final byte[] NO_TEXT = new byte[0];

    static final String INSERT = "insert into parley_message"
            + " (room, seq, username, body, ts, kind, cid, ref_seq, emoji, emoji_on, idem)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SENT = "select seq, ts from parley_message where room = ? and username = ? and cid = ?"
            + " order by seq desc fetch first 1 rows only";
    /** A batch's cids, however many users sent them: {@code in (...)} of up to {@value #PRELOAD_CHUNK}. */
    private static final String SENT_ANY = "select username, cid, seq, ts from parley_message where room = ? and cid in (";
    private static final int PRELOAD_CHUNK = 500;
    private static final String KEYED = "select seq, ts from parley_message where room = ? and idem = ?"
            + " order by seq desc fetch first 1 rows only";
    private static final String SENT_AFTER = "select count(*) from parley_message where room = ? and username = ? and seq > ?";
    private static final String MESSAGE = "select kind, username, deleted, edits from parley_message where room = ? and seq = ?";
    private static final String REACTIONS = "select emoji, username from parley_reaction where room = ? and ref_seq = ?";
    private static final String EDITED =
            "update parley_message set body = ?, edited = ?, edits = edits + 1 where room = ? and seq = ?";
    private static final String DELETED =
            "update parley_message set body = ?, deleted = true, edited = null where room = ? and seq = ?";
    private static final String EDITS_BLANKED = "update parley_message set body = ? where room = ? and ref_seq = ? and kind = 1";
    private static final String REACTIONS_GONE = "delete from parley_reaction where room = ? and ref_seq = ?";
    private static final String REACTION_ADDED =
            "insert into parley_reaction (room, ref_seq, emoji, username) values (?, ?, ?, ?)";
    private static final String REACTION_REMOVED =
            "delete from parley_reaction where room = ? and ref_seq = ? and emoji = ? and username = ?";

    private static final String LOCK = "update parley_room set last_seq = last_seq where room = ?";
    private static final String SET_LAST = "update parley_room set last_seq = ? where room = ?";
    private static final String TRIM = "delete from parley_message where room = ? and seq <= ?";
    private static final String TRIM_REACTIONS = "delete from parley_reaction where room = ? and ref_seq <= ?";

    private final Connection connection;
    private final String room;

    /**
     * Stores one room's part of a batch that has something to check, in the open
     * transaction: locks the room's sequence row, runs each append through the rules in
     * order (each one's seq the room's next), sets the row to the last seq used, trims to
     * {@code keep}. One round trip or a few per append: what the plain path saves
     * ({@link Dialect#write}) is for messages that need no check.
     *
     * @return what became of each append, in order; null if the room has no sequence row
     */
    static List<Appended> write(Connection connection, String room, List<Append> appends, int keep) throws SQLException {
        long last;
        try (PreparedStatement lock = connection.prepareStatement(LOCK);
             PreparedStatement read = connection.prepareStatement(Dialect.LAST)) {
            lock.setString(1, room);
            if (lock.executeUpdate() != 1) {
                return null;
            }
            read.setString(1, room);
            try (ResultSet result = read.executeQuery()) {
                result.next();
                last = result.getLong(1);
            }
        }
        List<Appended> done = new ArrayList<>(appends.size());
        long first = last;
        try (JdbcLedger ledger = new JdbcLedger(connection, room)) {
            ledger.preload(appends);
            for (Append append : appends) {
                Appended appended = LogRules.apply(room, last + 1, append, ledger);
                if (appended instanceof Appended.Stored) {
                    last++;
                }
                done.add(appended);
            }
            ledger.flush();
        } catch (Failed e) {
            throw e.getCause();
        }
        if (last == first) {
            return done;
        }
        try (PreparedStatement set = connection.prepareStatement(SET_LAST)) {
            set.setLong(1, last);
            set.setString(2, room);
            set.executeUpdate();
        }
        if (keep > 0) {
            for (String sql : List.of(TRIM, TRIM_REACTIONS)) {
                try (PreparedStatement trim = connection.prepareStatement(sql)) {
                    trim.setString(1, room);
                    trim.setLong(2, last - keep);
                    trim.executeUpdate();
                }
            }
        }
        return done;
    }

    /** The batch's cids as the database had them, and as the batch stored them: user and cid to the newest. */
    private final Map<String, LogRules.Sent> sent = new HashMap<>();
    private boolean preloaded;
    /** Inserts not yet executed: run before anything else reads or writes (see {@link #flush}). */
    private PreparedStatement inserts;

    JdbcLedger(Connection connection, String room) {
        this.connection = connection;
        this.room = room;
    }

    /**
     * Looks up every cid of the batch in one query, so that a batch of messages with cids
     * (what the web client sends) costs one select and one batched insert, not two round
     * trips a message.
     */
    private void preload(List<Append> appends) throws SQLException {
        List<String> cids = appends.stream().map(Append::cid).filter(java.util.Objects::nonNull).distinct().toList();
        for (int from = 0; from < cids.size(); from += PRELOAD_CHUNK) {
            List<String> chunk = cids.subList(from, Math.min(cids.size(), from + PRELOAD_CHUNK));
            String sql = SENT_ANY + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
            Map<String, String> byColumn = new HashMap<>();
            chunk.forEach(cid -> byColumn.put(column(cid), cid));
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setString(1, room);
                for (int i = 0; i < chunk.size(); i++) {
                    select.setString(i + 2, column(chunk.get(i)));
                }
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        sent.merge(key(result.getString(1), byColumn.get(result.getString(2))),
                                new LogRules.Sent(result.getLong(3), Instant.ofEpochMilli(result.getLong(4))),
                                (a, b) -> a.seq() >= b.seq() ? a : b);
                    }
                }
            }
        }
        preloaded = true;
    }

    private static String key(String user, String cid) {
        return user + '\n' + cid;
    }

    /**
     * A cid or an idempotency key as its column holds it. Any string of up to 64 characters
     * is one, and PostgreSQL's text takes no U+0000: so U+0000 is kept as {@code \0} and the
     * backslash as {@code \\}, which tells every two strings apart (at most 128 characters,
     * in columns of 256). Found by the fuzz suite: one such cid failed its whole batch.
     */
    static String column(String id) {
        if (id == null || id.indexOf('\u0000') < 0 && id.indexOf('\\') < 0) {
            return id;
        }
        return id.replace("\\", "\\\\").replace("\u0000", "\\0");
    }

    /** Executes the inserts waiting in the batch. */
    void flush() {
        if (inserts == null) {
            return;
        }
        try (PreparedStatement batch = inserts) {
            inserts = null;
            batch.executeBatch();
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }

    @Override
    public void close() throws SQLException {
        if (inserts != null) {
            inserts.close();
        }
    }

    @Override
    public LogRules.Sent sent(String user, String cid) {
        if (preloaded) {
            return sent.get(key(user, cid));
        }
        flush();
        return query(SENT, select -> {
            select.setString(2, user);
            select.setString(3, column(cid));
            try (ResultSet result = select.executeQuery()) {
                return result.next() ? new LogRules.Sent(result.getLong(1), Instant.ofEpochMilli(result.getLong(2))) : null;
            }
        });
    }

    @Override
    public LogRules.Sent keyed(String key) {
        return query(KEYED, select -> {
            select.setString(2, column(key));
            try (ResultSet result = select.executeQuery()) {
                return result.next() ? new LogRules.Sent(result.getLong(1), Instant.ofEpochMilli(result.getLong(2))) : null;
            }
        });
    }

    @Override
    public long sentAfter(String user, long seq) {
        return query(SENT_AFTER, select -> {
            select.setString(2, user);
            select.setLong(3, seq);
            try (ResultSet result = select.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        });
    }

    @Override
    public LogRules.Target message(long seq) {
        return query(MESSAGE, select -> {
            select.setLong(2, seq);
            try (ResultSet result = select.executeQuery()) {
                if (!result.next() || result.getInt(1) != Append.Kind.MESSAGE.ordinal()) {
                    return null;
                }
                return new LogRules.Target(result.getString(2), result.getBoolean(3), result.getInt(4));
            }
        });
    }

    @Override
    public Map<String, List<String>> reactions(long seq) {
        return query(REACTIONS, select -> {
            select.setLong(2, seq);
            Map<String, List<String>> reactions = new TreeMap<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    reactions.computeIfAbsent(result.getString(1), e -> new ArrayList<>()).add(result.getString(2));
                }
            }
            return reactions;
        });
    }

    /** Batched: executed by the next read or write, or at the end of the batch. */
    @Override
    public void store(Logged entry, String cid, String key) {
        try {
            if (inserts == null) {
                inserts = connection.prepareStatement(INSERT);
            }
            bind(inserts, entry, cid);
            inserts.setString(11, column(key));
            inserts.addBatch();
        } catch (SQLException e) {
            throw new Failed(e);
        }
        if (cid != null) {
            sent.put(key(entry.user(), cid), new LogRules.Sent(entry.seq(), entry.ts()));
        }
    }

    /** Binds an entry to {@link #INSERT}'s parameters. */
    static void bind(PreparedStatement insert, Logged entry, String cid) throws SQLException {
        insert.setString(1, entry.room());
        insert.setLong(2, entry.seq());
        insert.setString(3, entry.user());
        insert.setLong(5, entry.ts().toEpochMilli());
        insert.setString(7, column(cid));
        insert.setNull(9, Types.VARCHAR);
        insert.setNull(10, Types.BOOLEAN);
        if (entry instanceof ChatMessage message) {
            insert.setBytes(4, message.text().getBytes(StandardCharsets.UTF_8));
            insert.setInt(6, Append.Kind.MESSAGE.ordinal());
            if (message.replyTo() > 0) {
                insert.setLong(8, message.replyTo());
            } else {
                insert.setNull(8, Types.BIGINT);
            }
        } else if (entry instanceof Logged.Edit edit) {
            insert.setBytes(4, edit.text().getBytes(StandardCharsets.UTF_8));
            insert.setInt(6, Append.Kind.EDIT.ordinal());
            insert.setLong(8, edit.ref());
        } else if (entry instanceof Logged.Delete delete) {
            insert.setBytes(4, NO_TEXT);
            insert.setInt(6, Append.Kind.DELETE.ordinal());
            insert.setLong(8, delete.ref());
        } else if (entry instanceof Logged.React react) {
            insert.setBytes(4, NO_TEXT);
            insert.setInt(6, Append.Kind.REACT.ordinal());
            insert.setLong(8, react.ref());
            insert.setString(9, react.emoji());
            insert.setBoolean(10, react.on());
        }
    }

    @Override
    public void edited(long ref, String text, Instant ts) {
        update(EDITED, edit -> {
            edit.setBytes(1, text.getBytes(StandardCharsets.UTF_8));
            edit.setLong(2, ts.toEpochMilli());
            edit.setString(3, room);
            edit.setLong(4, ref);
        });
    }

    @Override
    public void deleted(long ref) {
        for (String sql : List.of(DELETED, EDITS_BLANKED)) {
            update(sql, blank -> {
                blank.setBytes(1, NO_TEXT);
                blank.setString(2, room);
                blank.setLong(3, ref);
            });
        }
        update(REACTIONS_GONE, gone -> {
            gone.setString(1, room);
            gone.setLong(2, ref);
        });
    }

    @Override
    public void reacted(long ref, String emoji, String user, boolean on) {
        update(on ? REACTION_ADDED : REACTION_REMOVED, change -> {
            change.setString(1, room);
            change.setLong(2, ref);
            change.setString(3, emoji);
            change.setString(4, user);
        });
    }

    // ---- plumbing: the rules' interface has no checked exceptions, so a failure travels as a RuntimeException ----

    private interface Statement<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    private interface Binding {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Parameter 1 is the room. */
    private <T> T query(String sql, Statement<T> reader) {
        flush();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, room);
            return reader.run(select);
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }

    private void update(String sql, Binding binding) {
        flush();
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            binding.bind(update);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }

    /** A database failure inside the rules, unwrapped by the writer. */
    static final class Failed extends RuntimeException {
        Failed(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
