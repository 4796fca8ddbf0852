package dev.parley.support;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A fresh, empty PostgreSQL database of its own on the test server (127.0.0.1:5432, user
 * postgres, trust auth), made through the database {@code test} and dropped after use.
 * Where there is no PostgreSQL the test is skipped, saying so; with CI=true it fails.
 */
public final class TestDatabase implements AutoCloseable {
    public static final String SERVER_URL = "jdbc:postgresql://127.0.0.1:5432/";
    public static final String USER = "postgres";
    private static final String ADMIN_URL = SERVER_URL + "test";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private boolean dropped; // guarded by this

    private TestDatabase(String name) {
        this.name = name;
    }

    /** Creates {@code parley_<random>}; skips the test (fails with CI=true) without a PostgreSQL. */
    public static TestDatabase create() {
        String name = "parley_" + randomLetters(12);
        Connection admin;
        try {
            admin = admin();
        } catch (SQLException unreachable) {
            return Prerequisite.missing("no PostgreSQL at " + ADMIN_URL, unreachable);
        }
        try (admin; Statement create = admin.createStatement()) {
            create.execute("create database " + name);
        } catch (SQLException e) {
            throw new AssertionError("cannot create the database " + name, e);
        }
        return new TestDatabase(name);
    }

    private static Connection admin() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("connectTimeout", "3");
        properties.setProperty("loginTimeout", "5");
        return DriverManager.getConnection(ADMIN_URL, properties);
    }

    private static String randomLetters(int length) {
        StringBuilder letters = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            letters.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return letters.toString();
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return SERVER_URL + name;
    }

    public String user() {
        return USER;
    }

    /**
     * Ends every connection to it and drops it; once only, and quietly: a database left
     * behind must not fail the test that used it.
     */
    public synchronized void drop() {
        if (dropped) {
            return;
        }
        dropped = true;
        try (Connection admin = admin()) {
            try (PreparedStatement terminate = admin.prepareStatement(
                    "select pg_terminate_backend(pid) from pg_stat_activity where datname = ? and pid <> pg_backend_pid()")) {
                terminate.setString(1, name);
                terminate.execute();
            }
            try (Statement drop = admin.createStatement()) {
                drop.execute("drop database if exists " + name); // waits up to 5 s for the terminated sessions to go
            }
        } catch (SQLException leftBehind) {
            // the server is gone, or a session lingers: the database stays, harmless
        }
    }

    @Override
    public void close() {
        drop();
    }

    @Override
    public String toString() {
        return jdbcUrl();
    }
}
