package dev.parley.store;

import dev.parley.store.GroupCommit.Pending;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between the databases the store runs on: where the schema's scripts are,
 * whether other nodes can share the database, and how the writer stores a room's part of a
 * batch. The statements are standard SQL that all of them run, but for PostgreSQL's
 * single-statement write and its {@code on conflict do nothing}.
 */
enum Dialect {
    /** The standalone server's embedded file, this process's alone. */
    H2("classpath:db/migration") {
        @Override
        boolean shareable(String url) {
            return false;
        }
    },
    /**
     * GlassFish's default database. Shared only through its network server
     * (jdbc:derby://host:port/...); embedded, its files are this JVM's. To keep it simple,
     * the URL alone decides. It has no {@code bytea}, hence scripts of its own.
     */
    DERBY("classpath:db/derby") {
        @Override
        boolean shareable(String url) {
            return url.startsWith("jdbc:derby://");
        }
    },
    /** A room's part of a batch in one statement; a batch of one room in autocommit, one round trip. */
    POSTGRESQL("classpath:db/migration") {
        @Override
        boolean oneStatementPerRoom() {
            return true;
        }

        @Override
        void addRoomRow(Connection connection, String room) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement(NEW_ROOM + " on conflict do nothing")) {
                insert.setString(1, room);
                insert.executeUpdate();
            }
        }

        /** One room's messages in one statement ({@link #POSTGRES_WRITE}). */
        @Override
        long write(Connection connection, String room, List<Pending> messages, int keep) throws SQLException {
            int n = messages.size();
            String[] users = new String[n];
            byte[][] bodies = new byte[n][];
            Long[] times = new Long[n];
            for (int i = 0; i < n; i++) {
                Pending p = messages.get(i);
                users[i] = p.user();
                bodies[i] = p.text().getBytes(StandardCharsets.UTF_8);
                times[i] = p.ts().toEpochMilli();
            }
            try (PreparedStatement write = connection.prepareStatement(keep > 0 ? POSTGRES_WRITE_AND_TRIM : POSTGRES_WRITE)) {
                write.setInt(1, n);
                write.setString(2, room);
                write.setString(3, room);
                write.setInt(4, n);
                write.setArray(5, connection.createArrayOf("varchar", users));
                write.setArray(6, connection.createArrayOf("bytea", bodies));
                write.setArray(7, connection.createArrayOf("int8", times));
                write.setInt(8, keep > 0 ? n - keep : 0);
                if (keep > 0) {
                    write.setString(9, room);
                    write.setInt(10, keep);
                }
                try (ResultSet result = write.executeQuery()) {
                    return result.next() ? result.getLong(1) : NO_ROW;
                }
            }
        }
    },
    /** Any other database: the standard statements, and a server's, so shareable. */
    STANDARD("classpath:db/migration");

    /** Derby's product name, on its embedded and its network driver alike. */
    private static final String DERBY_PRODUCT = "Apache Derby";

    /** What {@link #write} returns when the room has no sequence row. */
    static final long NO_ROW = -1;

    static final String LAST = "select last_seq from parley_room where room = ?";
    private static final String INSERT = "insert into parley_message (room, seq, username, body, ts) values (?, ?, ?, ?, ?)";
    private static final String TRIM = "delete from parley_message where room = ? and seq <= ?";
    private static final String NEW_ROOM = "insert into parley_room (room, last_seq) values (?, 0)";
    private static final String TAKE_SEQS = "update parley_room set last_seq = last_seq + ? where room = ?";
    /**
     * A room's batch on PostgreSQL in one statement: raise the room's row, insert the
     * messages under the seqs it gave (the arrays unnested in order), return the new last
     * seq; no row returned means the room has no sequence row. With {@code keep}, the same
     * statement trims the room: the delete sees the table as it was before the statement,
     * so it removes older rows, and messages of the batch that would be trimmed at once
     * (more than {@code keep} of them) are not inserted at all.
     */
    private static final String POSTGRES_TAKE_AND_INSERT = """
            with taken as (update parley_room set last_seq = last_seq + ? where room = ? returning last_seq),
            stored as (
                insert into parley_message (room, seq, username, body, ts)
                select ?, taken.last_seq - ? + m.n, m.username, m.body, m.ts
                from taken, unnest(?::varchar[], ?::bytea[], ?::int8[]) with ordinality as m(username, body, ts, n)
                where m.n > ?)
            """;
    private static final String POSTGRES_WRITE = POSTGRES_TAKE_AND_INSERT + "select last_seq from taken";
    private static final String POSTGRES_WRITE_AND_TRIM = POSTGRES_TAKE_AND_INSERT
            + ", trimmed as (delete from parley_message where room = ? and seq <= (select last_seq from taken) - ?)\n"
            + "select last_seq from taken";

    /** The Flyway location of the schema's scripts: one schema, the same versions in db/migration and db/derby. */
    private final String scripts;

    Dialect(String scripts) {
        this.scripts = scripts;
    }

    /** The dialect of a database by the product name its driver gives. */
    static Dialect of(String product) {
        return switch (product) {
            case "H2" -> H2;
            case "PostgreSQL" -> POSTGRESQL;
            case DERBY_PRODUCT -> DERBY;
            default -> STANDARD;
        };
    }

    /** Where Flyway finds this database's scripts. */
    String scripts() {
        return scripts;
    }

    /** Whether nodes of a cluster can share the database at {@code url}. */
    boolean shareable(String url) {
        return true;
    }

    /** Whether {@link #write} is one statement, so that a batch of one room can run in autocommit. */
    boolean oneStatementPerRoom() {
        return false;
    }

    /** Makes the room's sequence row if it has none; another node may make it at the same moment. */
    void addRoomRow(Connection connection, String room) throws SQLException {
        addRoomRowIfMissing(connection, room);
    }

    /**
     * Stores one room's messages of a batch, in the open transaction: takes their seqs (the
     * ones below the room's new last seq), inserts them, trims the room to {@code keep}.
     *
     * @return the room's new last seq, or {@link #NO_ROW} if the room has no sequence row
     */
    long write(Connection connection, String room, List<Pending> messages, int keep) throws SQLException {
        long last;
        try (PreparedStatement take = connection.prepareStatement(TAKE_SEQS);
             PreparedStatement read = connection.prepareStatement(LAST)) {
            take.setInt(1, messages.size());
            take.setString(2, room);
            if (take.executeUpdate() != 1) {
                return NO_ROW;
            }
            read.setString(1, room);
            try (ResultSet result = read.executeQuery()) {
                result.next();
                last = result.getLong(1);
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            long seq = last - messages.size();
            for (Pending p : messages) {
                insert.setString(1, room);
                insert.setLong(2, ++seq);
                insert.setString(3, p.user());
                insert.setBytes(4, p.text().getBytes(StandardCharsets.UTF_8));
                insert.setLong(5, p.ts().toEpochMilli());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        if (keep > 0) {
            try (PreparedStatement trim = connection.prepareStatement(TRIM)) {
                trim.setString(1, room);
                trim.setLong(2, last - keep);
                trim.executeUpdate();
            }
        }
        return last;
    }

    /** The room's sequence row, made in standard SQL if it has none: a duplicate key (another node was first) is harmless. */
    static void addRoomRowIfMissing(Connection connection, String room) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(LAST)) {
            select.setString(1, room);
            try (ResultSet result = select.executeQuery()) {
                if (result.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(NEW_ROOM)) {
            insert.setString(1, room);
            insert.executeUpdate();
        } catch (SQLException raced) {
            if (!isDuplicateKey(raced)) {
                throw raced;
            }
        }
    }

    /** SQLState class 23 (integrity constraint violation): H2, PostgreSQL and Derby all say 23505 for a duplicate key. */
    static boolean isDuplicateKey(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }
}
