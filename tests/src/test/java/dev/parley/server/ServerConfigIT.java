package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.naming.InitialContext;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What server-config/ set up, seen from inside the server: the system property that
 * names Parley's datasource, and that datasource reaching PostgreSQL, in the run's own
 * database (parley.it.database: tests/pom.xml makes it empty before the servers start,
 * and arquillian.xml hands its name to each server). Where the pom found no PostgreSQL
 * (its without-postgres profile: the WAR on the memory store) the query is skipped, and
 * says so; never with CI=true, where the profile is off and a missing PostgreSQL fails
 * it. The skip is decided on the client: a test aborted inside the server is reported
 * as an error by Arquillian, not as skipped.
 */
@ExtendWith(ArquillianExtension.class)
class ServerConfigIT {

    @Deployment
    static WebArchive war() {
        return Deployments.parleyWar();
    }

    @Test
    void parleyDatasourceNamesADatasource() throws Exception {
        String name = System.getProperty("parley.datasource");
        assertNotNull(name, "server-config sets parley.datasource");
        assertNotNull(new InitialContext().lookup(name), name);
    }

    @Test
    @DisabledIfSystemProperty(named = "parley.it.store", matches = "memory",
            disabledReason = "skipped: no PostgreSQL here (tests/pom.xml's without-postgres profile, the WAR on the memory store)")
    void thatDatasourceReachesTheRunsOwnPostgresDatabase() throws Exception {
        String database = System.getProperty("parley.it.database");
        assertNotNull(database, "arquillian.xml passes the run's database as parley.it.database");
        DataSource dataSource = (DataSource) new InitialContext().lookup(System.getProperty("parley.datasource"));
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select current_database()")) {
            result.next();
            assertEquals(database, result.getString(1), "the run's own database, not server-config's default");
            assertEquals("PostgreSQL", connection.getMetaData().getDatabaseProductName());
        }
    }
}
