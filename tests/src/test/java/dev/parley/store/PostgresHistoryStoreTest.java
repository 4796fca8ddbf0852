package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.support.Rooms;
import dev.parley.support.TestDatabase;
import jakarta.json.Json;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on PostgreSQL at 127.0.0.1:5432, database {@code test}. Skipped, and
 * saying so, where there is none; with CI=true a missing PostgreSQL is a failure.
 */
class PostgresHistoryStoreTest extends JdbcStoreContract {
    private static HikariDataSource database;

    private static TestDatabase own;

    /**
     * A database of this run's own (createdb), dropped after: a database left by another
     * run, or migrated by an unreleased script that changed since, cannot fail this one.
     */
    @BeforeAll
    static void connect() {
        own = TestDatabase.create();
        database = pool(own);
    }

    static HikariDataSource pool(TestDatabase on) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(on.jdbcUrl());
        pool.setUsername(on.user());
        pool.setConnectionTimeout(3000);
        return pool;
    }

    @AfterAll
    static void disconnect() {
        if (database != null) {
            database.close();
        }
        if (own != null) {
            own.close();
        }
    }

    @Override
    protected DataSource database() {
        return database;
    }

    /**
     * Two nodes' writers: one takes an event's id, the other a higher one and commits
     * first. The sender, having read past the higher id, still sends the first once it
     * commits (the id it skipped is read again), in its room's order.
     */
    @Test
    void anEventCommittedAfterOneWithAHigherIdIsStillSent() throws Exception {
        HistoryStore store = open(0);
        store.recordWebhooks();
        WebhookOutbox outbox = store.webhooks();
        String slow = Rooms.fresh();
        String quick = Rooms.fresh();
        Instant now = Instant.now();
        stored(store, quick, Append.message("ann", "before", null, 0, now));
        assertEquals(List.of("before"), texts(outbox, quick));
        try (Connection other = database.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement("insert into parley_webhook (room, body, created, next_at)"
                    + " values (?, '{\"id\":\"e1\",\"type\":\"message\",\"text\":\"late\"}', ?, ?)")) {
                insert.setString(1, slow);
                insert.setLong(2, now.toEpochMilli());
                insert.setLong(3, now.toEpochMilli());
                insert.executeUpdate();
            }
            stored(store, quick, Append.message("ann", "after", null, 0, now));
            assertEquals(List.of("after"), texts(outbox, quick));
            assertEquals(List.of(), texts(outbox, slow), "not committed yet");
            other.commit();
        }
        assertEquals(List.of("late"), texts(outbox, slow));
    }

    /** Takes every event of the room, in order, and says their texts. */
    private static List<String> texts(WebhookOutbox outbox, String room) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            List<WebhookOutbox.Event> due = outbox.due(Instant.now(), Set.of(), 10_000).stream()
                    .filter(event -> event.room().equals(room)).toList();
            if (due.isEmpty()) {
                break;
            }
            due.forEach(event -> texts.add(Json.createReader(new StringReader(event.body()))
                    .readObject().getString("text")));
            outbox.delivered(due);
        }
        return texts;
    }

    /** Nodes of a new cluster start together: each migrates the fresh database, or finds it migrated. */
    @Test
    void storesOpenedTogetherOnAFreshDatabaseAllStart() throws Exception {
        int nodes = 4;
        try (TestDatabase fresh = TestDatabase.create(); HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(fresh.jdbcUrl());
            pool.setUsername(fresh.user());
            pool.setMaximumPoolSize(2 * nodes);
            pool.setConnectionTimeout(3000);
            ExecutorService starting = Executors.newFixedThreadPool(nodes);
            try {
                CyclicBarrier together = new CyclicBarrier(nodes);
                List<Future<HistoryStore>> opened = new ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    opened.add(starting.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        return new JdbcHistoryStore(pool, 0);
                    }));
                }
                List<HistoryStore> stores = new ArrayList<>();
                for (Future<HistoryStore> store : opened) {
                    stores.add(store.get(60, TimeUnit.SECONDS));
                }
                String room = Rooms.fresh();
                for (HistoryStore store : stores) {
                    store.append(room, "ann", "hello", Instant.now()).toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
                assertEquals(nodes, stores.get(0).lastSeq(room));
                stores.forEach(HistoryStore::close);
            } finally {
                starting.shutdownNow();
            }
        }
    }
}
