package dev.parley.store;

import dev.parley.config.ParleyConfig;
import dev.parley.config.StoreConfig;
import dev.parley.metrics.Meters;
import dev.parley.metrics.Monitoring;
import io.micrometer.core.instrument.Gauge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Chooses the {@link HistoryStore}: PARLEY_STORE=jdbc (default) on the {@link ChatDatabase},
 * or memory.
 *
 * <p>Where nobody chose (none of PARLEY_STORE, PARLEY_DATASOURCE, PARLEY_JDBC_URL is set)
 * the database is the server's default DataSource, which a stock server may not have in a
 * usable state: Open Liberty defines none, GlassFish's is a Derby that nobody started. Then
 * the WAR still chats, on the memory store, and says so once at WARNING with what to
 * configure; {@code /health/ready}, {@code /metrics} and the admin view name the store in
 * use. A store the operator chose must work, or start-up fails. The standalone server opens
 * its own default (H2 in PARLEY_DATA) before this runs, and stops if it cannot.
 */
@ApplicationScoped
public class StoreProducer {
    private static final Logger LOG = Logger.getLogger(StoreProducer.class.getName());

    @Produces
    @ApplicationScoped
    HistoryStore store(ParleyConfig config, @ChatDatabase Instance<DataSource> database, Monitoring monitoring) {
        StoreConfig store = config.store();
        HistoryStore chosen = choose(store, config.cluster().enabled(), database::get, monitoring.meters());
        if (config.api().webhooks()) {
            chosen.recordWebhooks(); // before the first append: every entry has its event
        }
        Gauge.builder("parley.store.info", () -> 1).description("The history store in use (value 1)")
                .tag("kind", chosen instanceof JdbcHistoryStore ? "jdbc" : "memory")
                .tag("fallback", String.valueOf(store.kind() == StoreConfig.Kind.JDBC && chosen instanceof MemoryHistoryStore))
                .register(monitoring.registry());
        return chosen;
    }

    /**
     * The store {@code store} asks for; in memory instead, with a warning, where nobody chose it
     * and the database cannot be used (one node only: a cluster's nodes must share a database).
     *
     * @throws StoreException if a store that was chosen cannot be used
     */
    static HistoryStore choose(StoreConfig store, boolean cluster, Supplier<DataSource> database, Meters meters) {
        if (store.kind() == StoreConfig.Kind.MEMORY) {
            return new MemoryHistoryStore(store.memoryKeep(), store.memoryBytes());
        }
        try {
            return new JdbcHistoryStore(database.get(), store.keep(), meters);
        } catch (RuntimeException e) {
            if (store.chosen() || cluster) {
                LOG.severe(() -> "Parley cannot start: its store " + (cluster ? "(cluster mode needs a shared database) " : "")
                        + "cannot be used: " + (e instanceof StoreException ? e.getMessage() : e.toString()));
                throw e;
            }
            String why = e instanceof StoreException ? e.getMessage() : e.toString();
            LOG.warning(() -> "History is kept in memory only, and lost when the server stops: the server's default"
                    + " DataSource " + store.datasource() + " cannot be used (" + why + "). To keep it, give the server"
                    + " a DataSource and set parley.datasource (PARLEY_DATASOURCE) to its JNDI name (server-config/"
                    + " has one for each server), or start the server's default database; set parley.store=memory"
                    + " (PARLEY_STORE) to keep history in memory without this warning");
            return new MemoryHistoryStore(store.memoryKeep(), store.memoryBytes(),
                    "no usable database at " + store.datasource());
        }
    }

    void close(@Disposes HistoryStore store) {
        store.close();
    }
}
