package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.ParleyConfig;
import dev.parley.config.StoreConfig;
import dev.parley.metrics.Meters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which store a node gets: the one asked for, or, where nobody chose one and the server's
 * default DataSource cannot be used (none there, or its database not started), memory
 * with one warning saying what to configure.
 */
class StoreChoiceTest {
    /** The lookup of a DataSource the server does not have, as JndiDataSourceProducer fails. */
    private static final Supplier<DataSource> NO_DATASOURCE = () -> {
        throw new StoreException("No DataSource at java:comp/DefaultDataSource (PARLEY_DATASOURCE): not bound", null);
    };

    /** A DataSource whose database is not running (GlassFish's Derby before start-database). */
    private static final Supplier<DataSource> NOT_STARTED = () -> {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:tcp://127.0.0.1:1/nobody-listens-here");
        return h2;
    };

    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger log = Logger.getLogger(StoreProducer.class.getName());

    @BeforeEach
    void record() {
        log.addHandler(recorder);
    }

    @AfterEach
    void stopRecording() {
        log.removeHandler(recorder);
    }

    private static StoreConfig store(Map<String, String> settings) {
        return ParleyConfig.from(settings::get, name -> null).store();
    }

    private HistoryStore choose(Map<String, String> settings, boolean cluster, Supplier<DataSource> database) {
        return StoreProducer.choose(store(settings), cluster, database, Meters.none());
    }

    @Test
    void withNothingChosenAServerWithoutADefaultDataSourceKeepsHistoryInMemoryAndSaysSoOnce() {
        HistoryStore store = choose(Map.of(), false, NO_DATASOURCE);

        assertInstanceOf(MemoryHistoryStore.class, store);
        assertEquals("memory (no usable database at java:comp/DefaultDataSource)", store.kind());
        assertTrue(store.describe().startsWith("memory (10000 messages per room"), store.describe());
        assertEquals(1, logged.size(), "one line");
        LogRecord warning = logged.get(0);
        assertEquals(Level.WARNING, warning.getLevel());
        assertTrue(warning.getMessage().contains("No DataSource at java:comp/DefaultDataSource"), warning.getMessage());
        assertTrue(warning.getMessage().contains("PARLEY_DATASOURCE"), "says what to configure: " + warning.getMessage());
        assertEquals(null, warning.getThrown(), "no stack trace");
    }

    @Test
    void withNothingChosenADefaultDatabaseThatIsNotRunningKeepsHistoryInMemory() {
        HistoryStore store = choose(Map.of("PARLEY_HISTORY_KEEP", "50"), false, NOT_STARTED);

        assertInstanceOf(MemoryHistoryStore.class, store);
        assertTrue(store.describe().startsWith("memory (50 messages per room"), store.describe());
        assertTrue(logged.get(0).getMessage().contains("Cannot use the database"), logged.get(0).getMessage());
    }

    @Test
    void aStoreTheOperatorChoseMustWorkOrStartUpFails() {
        for (Map<String, String> chosen : List.of(Map.of("PARLEY_STORE", "jdbc"),
                Map.of("PARLEY_DATASOURCE", "java:comp/DefaultDataSource"),
                Map.of("PARLEY_JDBC_URL", "jdbc:h2:tcp://127.0.0.1:1/nobody"))) {
            assertThrows(StoreException.class, () -> choose(chosen, false, NO_DATASOURCE), chosen.toString());
        }
        assertEquals(List.of(Level.SEVERE, Level.SEVERE, Level.SEVERE), logged.stream().map(LogRecord::getLevel).toList(),
                "no fallback: one line each, why it cannot start");
        assertTrue(logged.get(0).getMessage().startsWith("Parley cannot start: its store cannot be used: No DataSource at"),
                logged.get(0).getMessage());
    }

    @Test
    void aClusterNodeNeverFallsBackToMemory() {
        assertThrows(StoreException.class, () -> choose(Map.of(), true, NOT_STARTED));
    }

    /** A default DataSource that works is used; one in memory (WildFly's stock ExampleDS) is, with a warning. */
    @Test
    void aDefaultDataSourceThatWorksIsUsedAndOneInMemoryIsCalledSo() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:store-choice;DB_CLOSE_DELAY=-1");
        Logger jdbcLog = Logger.getLogger(JdbcHistoryStore.class.getName());
        jdbcLog.addHandler(recorder);
        HistoryStore store;
        try {
            store = choose(Map.of(), false, () -> h2);
        } finally {
            jdbcLog.removeHandler(recorder);
        }
        try {
            assertInstanceOf(JdbcHistoryStore.class, store);
            assertTrue(store.kind().startsWith("jdbc, H2 "), store.kind());
            assertTrue(!store.kind().contains("jdbc:h2"), "no URL in the short name: " + store.kind());
        } finally {
            store.close();
        }
        assertEquals(1, logged.size(), "one line");
        assertEquals(Level.WARNING, logged.get(0).getLevel());
        assertTrue(logged.get(0).getMessage().contains("in-memory database (jdbc:h2:mem:store-choice"), logged.get(0).getMessage());
    }

    @Test
    void memoryWhenAskedForSaysNothing() {
        HistoryStore store = choose(Map.of("PARLEY_STORE", "memory"), false, NO_DATASOURCE);
        assertEquals("memory", store.kind());
        assertEquals(List.of(), logged);
    }
}
