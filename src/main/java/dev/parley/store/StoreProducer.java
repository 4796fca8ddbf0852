package dev.parley.store;

import dev.parley.config.ParleyConfig;
import dev.parley.config.StoreConfig;
import dev.parley.ops.Monitoring;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import javax.sql.DataSource;

/** Chooses the {@link HistoryStore}: PARLEY_STORE=jdbc (default) on the {@link ChatDatabase}, or memory. */
@ApplicationScoped
public class StoreProducer {

    @Produces
    @ApplicationScoped
    HistoryStore store(ParleyConfig config, @ChatDatabase Instance<DataSource> database, Monitoring monitoring) {
        StoreConfig store = config.store();
        if (store.kind() == StoreConfig.Kind.MEMORY) {
            return new MemoryHistoryStore(store.keep(), store.memoryBytes());
        }
        return new JdbcHistoryStore(database.get(), store.keep(), monitoring.meters());
    }

    void close(@Disposes HistoryStore store) {
        store.close();
    }
}
