package dev.parley.store;

import dev.parley.config.ParleyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** Chooses the {@link HistoryStore} for the application. */
@ApplicationScoped
public class StoreProducer {

    @Produces
    @ApplicationScoped
    HistoryStore store(ParleyConfig config) {
        return new MemoryHistoryStore(config.historyKeep());
    }

    void close(@Disposes HistoryStore store) {
        store.close();
    }
}
