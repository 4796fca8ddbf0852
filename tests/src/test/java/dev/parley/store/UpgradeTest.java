package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Logged;
import dev.parley.support.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The schema migrates in place from what Parley 0.4.0 left (src/test/resources/upgrade:
 * databases made by 0.4.0's own store, dumped): the messages read back as they were
 * stored, the rooms keep their seqs and their closed state, and the 1.1 log works on
 * the old messages (an edit, a reaction, a reply, a cid).
 */
class UpgradeTest {
    private static final Instant T = Instant.parse("2026-12-06T10:00:00.123Z");

    @Test
    void anH2DatabaseOfParley040() throws Exception {
        try (HikariDataSource database = new HikariDataSource()) {
            database.setJdbcUrl("jdbc:h2:mem:upgrade-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
            database.setUsername("sa");
            try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("runscript from 'classpath:/upgrade/parley-0.4.0.h2.sql'");
            }
            upgradesInPlace(database);
        }
    }

    @Test
    void aPostgresDatabaseOfParley040() throws Exception {
        try (TestDatabase made = TestDatabase.create(); HikariDataSource database = PostgresHistoryStoreTest.pool(made)) {
            for (String statement : dumpStatements("/upgrade/parley-0.4.0.postgres.sql")) {
                execute(database, statement);
            }
            upgradesInPlace(database);
        }
    }

    private static void upgradesInPlace(HikariDataSource database) throws Exception {
        JdbcHistoryStore store = new JdbcHistoryStore(database, 0);
        try {
            assertEquals(List.of("1", "2", "3", "4", "5", "6"), versions(database));
            assertEquals(List.of(new ChatMessage("lobby", 1, "ann", "Hello from 0.4.0", T),
                    new ChatMessage("lobby", 2, "bob", "ünïcödé 😀 and a \u0000 nul", T.plusSeconds(1)),
                    new ChatMessage("lobby", 3, "ann", "third", T.plusSeconds(2))),
                    store.before("lobby", Long.MAX_VALUE, 50), "0.4.0's messages, as it stored them");
            assertEquals(1, store.lastSeq("other"));
            assertTrue(store.closed("shut"));

            Instant now = Instant.now();
            assertEquals(4, stored(store, Append.edit("ann", 1, "Hello from 0.5", "e1", now)).seq());
            assertEquals(5, stored(store, Append.react("bob", 1, "👋", true, null, now)).seq());
            assertEquals(6, stored(store, Append.message("bob", "welcome back", "c1", 2, now)).seq());
            assertEquals(new Appended.Duplicate(6, now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)), run(store, Append.message("bob", "welcome back", "c1", 2, now)));
            List<Logged> log = store.before("lobby", Long.MAX_VALUE, 50);
            ChatMessage first = (ChatMessage) log.get(0);
            assertEquals("Hello from 0.5", first.text());
            assertEquals(Map.of("👋", List.of("bob")), first.reactions());
            assertEquals(2, ((ChatMessage) log.get(5)).replyTo());
            assertEquals(1, store.after("other", 0, 10).orElseThrow().size(), "other's one message, recoverable");
        } finally {
            store.close();
        }
    }

    private static Appended run(HistoryStore store, Append append) throws Exception {
        return store.append("lobby", append).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static Logged stored(HistoryStore store, Append append) throws Exception {
        return assertInstanceOf(Appended.Stored.class, run(store, append)).entry();
    }

    private static List<String> versions(HikariDataSource database) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select \"version\" from \"parley_schema_history\""
                     + " where \"version\" is not null and \"success\" = true order by \"installed_rank\"")) {
            while (result.next()) {
                versions.add(result.getString(1));
            }
        }
        return versions;
    }

    /** The dump's SQL statements, without psql's meta-commands, its session settings and its comments. */
    private static List<String> dumpStatements(String resource) throws IOException {
        try (InputStream in = UpgradeTest.class.getResourceAsStream(resource)) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("--") && !line.startsWith("\\") && !line.startsWith("SET ")
                            && !line.startsWith("SELECT pg_catalog.set_config"))
                    .collect(Collectors.joining("\n"));
            return List.of(sql.split(";\n")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
    }

    private static void execute(HikariDataSource database, String sql) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
