package dev.parley.standalone;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells HikariCP to drop a connection after any error that is not about the data or
 * the statement itself. Hikari evicts on the SQL states it knows for broken
 * connections (class 08, PostgreSQL's); H2 reports a lost server with its own codes
 * (90067 "connection is broken" and others), and a kept broken connection would fail
 * every commit even after the database is back.
 */
public final class EvictFailedConnections implements SQLExceptionOverride {
    @java.lang.Override
    public Override adjudicate(SQLException e) {
        String state = e.getSQLState();
        boolean aboutTheData = state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("42"));
        return aboutTheData ? Override.CONTINUE_EVICT : Override.MUST_EVICT;
    }
}
