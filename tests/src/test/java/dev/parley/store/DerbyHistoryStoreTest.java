package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on an embedded Derby, the database of GlassFish's default datasource (there
 * through Derby's network server): a database of its own in target/derby, deleted after.
 */
class DerbyHistoryStoreTest extends JdbcStoreContract {
    static {
        // Derby writes derby.log into the working directory unless told otherwise
        System.setProperty("derby.stream.error.file", Path.of("target", "derby.log").toAbsolutePath().toString());
    }

    private static Path directory;
    private static HikariDataSource database;

    @BeforeAll
    static void connect() {
        directory = Path.of("target", "derby", "contract-" + UUID.randomUUID()).toAbsolutePath();
        database = new HikariDataSource();
        database.setJdbcUrl("jdbc:derby:" + directory + ";create=true");
    }

    @AfterAll
    static void disconnect() throws IOException {
        database.close();
        SQLException stopped = assertThrows(SQLException.class,
                () -> DriverManager.getConnection("jdbc:derby:" + directory + ";shutdown=true"));
        assertEquals("08006", stopped.getSQLState(), "Derby says a database shut down with 08006");
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Override
    protected DataSource database() {
        return database;
    }

    /** Embedded, the database's files are this JVM's: no other node can share them. */
    @Test
    void anEmbeddedDerbyIsNotShareable() {
        HistoryStore store = open(0);
        assertFalse(store.shareable(), store.describe());
        assertEquals("jdbc, Apache Derby 10.15.2.0 at jdbc:derby:" + directory + ", every message kept", store.describe());
    }
}
