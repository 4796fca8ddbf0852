package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.metrics.Meters;
import dev.parley.protocol.ChatMessage;
import dev.parley.support.Rooms;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's writer alone, on a migrated H2 database in memory. */
class GroupCommitTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private HikariDataSource database;
    private GroupCommit writer;

    @BeforeEach
    void start() {
        database = new HikariDataSource();
        database.setJdbcUrl("jdbc:h2:mem:" + Rooms.fresh() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000");
        Migrations.migrate(database);
        writer = new GroupCommit(database, Dialect.H2, 0, new Meters(registry));
    }

    @AfterEach
    void stop() {
        writer.close();
        database.close();
    }

    /** Held back by another transaction on the room's row, the writer takes all that queued meanwhile in one commit. */
    @Test
    void whatQueuesWhileACommitWaitsGoesInTheNextCommitInAppendOrder() throws Exception {
        String room = Rooms.fresh();
        run("insert into parley_room (room, last_seq) values (?, 0)", room);
        List<CompletableFuture<ChatMessage>> stored = new ArrayList<>();
        try (Connection holder = database.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("update parley_room set last_seq = last_seq where room = ?")) {
                lock.setString(1, room);
                lock.executeUpdate();
            }
            for (int i = 1; i <= 100; i++) {
                stored.add(append(room, "m" + i, Instant.ofEpochMilli(i)));
            }
            holder.commit();
        }
        for (int i = 1; i <= 100; i++) {
            assertEquals(new ChatMessage(room, i, "ann", "m" + i, Instant.ofEpochMilli(i)), stored.get(i - 1).get(30, TimeUnit.SECONDS));
        }
        DistributionSummary batches = registry.get("parley.store.batch").summary();
        assertEquals(100, batches.totalAmount());
        assertTrue(batches.count() <= 2, "the first alone at most, then the rest together: " + batches.count() + " commits");
    }

    @Test
    void closingStoresWhatIsQueuedAndRefusesWhatComesAfter() throws Exception {
        String room = Rooms.fresh();
        List<CompletableFuture<ChatMessage>> stored = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            stored.add(append(room, "m" + i, Instant.now()));
        }
        writer.close();
        for (int i = 1; i <= 50; i++) {
            assertEquals(i, stored.get(i - 1).getNow(null).seq());
        }
        ExecutionException refused = assertThrows(ExecutionException.class, () -> stored(room, "late"));
        assertInstanceOf(StoreException.class, refused.getCause());
    }

    private ChatMessage stored(String room, String text) throws Exception {
        return append(room, text, Instant.now()).get(30, TimeUnit.SECONDS);
    }

    /** A plain message of ann's, as the store's version 1 append queues it. */
    private CompletableFuture<ChatMessage> append(String room, String text, Instant ts) {
        return writer.append(room, Append.message("ann", text, null, 0, ts)).toCompletableFuture()
                .thenApply(appended -> (ChatMessage) ((Appended.Stored) appended).entry());
    }

    private void run(String sql, String room) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, room);
            statement.executeUpdate();
        }
    }
}
