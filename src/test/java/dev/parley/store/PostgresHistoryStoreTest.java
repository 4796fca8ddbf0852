package dev.parley.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on PostgreSQL at 127.0.0.1:5432, database {@code test}. Skipped, and
 * saying so, where there is none; with CI=true a missing PostgreSQL is a failure.
 */
class PostgresHistoryStoreTest extends JdbcStoreContract {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static HikariDataSource database;

    @BeforeAll
    static void connect() {
        database = postgres();
    }

    /** A pool on the test database, or the test is skipped (never with CI=true). */
    static HikariDataSource postgres() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(URL);
        pool.setUsername("postgres");
        pool.setInitializationFailTimeout(-1);
        pool.setConnectionTimeout(3000);
        try (Connection probe = pool.getConnection()) {
            return pool;
        } catch (SQLException unreachable) {
            pool.close();
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("PostgreSQL must be reachable at " + URL + " in CI", unreachable);
            }
            Assumptions.abort("skipped: no PostgreSQL at " + URL + " (" + unreachable.getMessage() + ")");
            return null;
        }
    }

    @AfterAll
    static void disconnect() {
        if (database != null) {
            database.close();
        }
    }

    @Override
    protected DataSource database() {
        return database;
    }
}
