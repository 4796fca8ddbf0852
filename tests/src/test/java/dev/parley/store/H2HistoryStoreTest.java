package dev.parley.store;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on H2, the standalone server's default database. */
class H2HistoryStoreTest extends JdbcStoreContract {
    private static HikariDataSource database;

    @BeforeAll
    static void connect() {
        database = new HikariDataSource();
        database.setJdbcUrl("jdbc:h2:mem:contract;DB_CLOSE_DELAY=-1");
    }

    @AfterAll
    static void disconnect() {
        database.close();
    }

    @Override
    protected DataSource database() {
        return database;
    }
}
