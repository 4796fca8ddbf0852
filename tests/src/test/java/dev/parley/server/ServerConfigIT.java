package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.naming.InitialContext;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What server-config/ set up, seen from inside the server: the system property that
 * names Parley's datasource, and that datasource reaching PostgreSQL, in the run's own
 * database (parley.it.database: tests/pom.xml makes it empty before the servers start,
 * and arquillian.xml hands its name to each server). Without a PostgreSQL on
 * 127.0.0.1:5432 the query is skipped, and says so, except with CI=true.
 */
@ExtendWith(ArquillianExtension.class)
class ServerConfigIT {

    @Deployment
    static WebArchive war() {
        return Deployments.parleyWar();
    }

    @Test
    void theDatasourceNamedByParleyDatasourceAnswersAQuery() throws Exception {
        String name = System.getProperty("parley.datasource");
        assertNotNull(name, "server-config sets parley.datasource");
        String database = System.getProperty("parley.it.database");
        assertNotNull(database, "arquillian.xml passes the run's database as parley.it.database");
        DataSource dataSource = (DataSource) new InitialContext().lookup(name);
        assertNotNull(dataSource);
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select current_database()")) {
            result.next();
            assertEquals(database, result.getString(1), "the run's own database, not server-config's default");
            assertEquals("PostgreSQL", connection.getMetaData().getDatabaseProductName());
        } catch (SQLException unreachable) {
            Assumptions.assumeFalse("true".equals(System.getenv("CI")),
                    "PostgreSQL must be reachable in CI: " + unreachable);
            Assumptions.abort("skipped: no PostgreSQL on 127.0.0.1:5432 (" + unreachable.getMessage() + ")");
        }
    }
}
