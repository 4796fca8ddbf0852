package dev.parley.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings a database's schema up to date with Flyway when the store opens: the scripts of
 * its {@link Dialect} (db/migration, or db/derby for Derby), the history in
 * {@code parley_schema_history}, a database that has tables but no history baselined.
 */
final class Migrations {
    /**
     * Nodes that start together on a new PostgreSQL database migrate it one at a time,
     * under this advisory lock: Flyway's own leaves a window while it creates its history
     * table, in which a second node fails ("... already exists, and is empty").
     */
    private static final long MIGRATION_LOCK = 0x7061726c6579L; // "parley"
    private static final int MIGRATION_LOCK_WAIT_SECONDS = 60;

    private Migrations() {
    }

    /** What the database says it is: its product name, version and URL, and so its dialect. */
    record Database(Dialect dialect, String product, String version, String url) {
        /** Whether nodes of a cluster can share it: see {@link Dialect#shareable}. */
        boolean shareable() {
            return dialect.shareable(url);
        }

        /** An H2 or Derby database in this JVM's memory (WildFly's stock ExampleDS is one). */
        boolean inMemory() {
            return url.startsWith("jdbc:h2:mem:") || url.startsWith("jdbc:derby:memory:");
        }
    }

    /**
     * Migrates the database's schema; on PostgreSQL under the advisory lock (waiting 60 s at most).
     *
     * @throws StoreException if the database cannot be reached or migrated
     */
    static Database migrate(DataSource database) {
        try (Connection lock = database.getConnection()) {
            String product = lock.getMetaData().getDatabaseProductName();
            Dialect dialect = Dialect.of(product);
            boolean postgres = dialect == Dialect.POSTGRESQL;
            if (postgres) {
                run(lock, "set lock_timeout = '" + MIGRATION_LOCK_WAIT_SECONDS + "s'");
                run(lock, "select pg_advisory_lock(" + MIGRATION_LOCK + ")");
                run(lock, "reset lock_timeout");
            }
            try {
                Flyway.configure(Migrations.class.getClassLoader())
                        .dataSource(database)
                        .locations(dialect.scripts())
                        .table("parley_schema_history")
                        .baselineOnMigrate(true)
                        .load()
                        .migrate();
            } finally {
                if (postgres) {
                    run(lock, "select pg_advisory_unlock(" + MIGRATION_LOCK + ")");
                }
            }
            DatabaseMetaData meta = lock.getMetaData();
            return new Database(dialect, product, meta.getDatabaseProductVersion().split(" ")[0], meta.getURL());
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("Cannot use the database: " + StoreException.rootMessage(e), e);
        }
    }

    private static void run(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
