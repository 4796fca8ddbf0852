package dev.parley.store;

import dev.parley.config.ParleyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * In an application server, Parley's database is the server's DataSource named by
 * PARLEY_DATASOURCE (default java:comp/DefaultDataSource). The standalone runner
 * replaces this bean with its own connection pool.
 */
@ApplicationScoped
public class JndiDataSourceProducer {

    @Produces
    @ChatDatabase
    DataSource dataSource(ParleyConfig config) {
        String name = config.store().datasource();
        try {
            return (DataSource) new InitialContext().lookup(name);
        } catch (NamingException | ClassCastException e) {
            throw new StoreException("No DataSource at " + name + " (PARLEY_DATASOURCE): " + e.getMessage(), e);
        }
    }
}
