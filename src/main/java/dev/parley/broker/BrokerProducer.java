package dev.parley.broker;

import dev.parley.config.ConfigException;
import dev.parley.config.ParleyConfig;
import dev.parley.metrics.Monitoring;
import dev.parley.store.HistoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/**
 * Chooses the {@link Broker}: Redis when PARLEY_REDIS_URL is set (cluster mode), else one
 * node alone; with identity on, a user's name may hold several connections.
 */
@ApplicationScoped
public class BrokerProducer {

    @Produces
    @ApplicationScoped
    Broker broker(ParleyConfig config, HistoryStore store, Monitoring monitoring) {
        if (!config.cluster().enabled()) {
            return new LocalBroker(config.identity().enabled());
        }
        if (!store.shareable()) {
            throw new ConfigException("Cluster mode (PARLEY_REDIS_URL) needs a database the nodes share (PostgreSQL);"
                    + " the store is " + store.describe());
        }
        return new RedisBroker(config.cluster(), config.identity().enabled(), monitoring.meters());
    }

    void close(@Disposes Broker broker) {
        broker.close();
    }
}
