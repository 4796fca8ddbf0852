package dev.parley.broker;

import dev.parley.config.ConfigException;
import dev.parley.config.ParleyConfig;
import dev.parley.metrics.Monitoring;
import dev.parley.store.HistoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/**
 * Chooses the {@link Broker} and the {@link Relay}: Redis when PARLEY_REDIS_URL is set
 * (cluster mode; one {@link RedisBroker}, whose connections its relay shares), else one
 * node alone; with identity on, a user's name may hold several connections.
 */
@ApplicationScoped
public class BrokerProducer {
    /** Cluster mode: made by whichever of the two beans is asked for first. */
    private RedisBroker redis;

    @Produces
    @ApplicationScoped
    Broker broker(ParleyConfig config, HistoryStore store, Monitoring monitoring) {
        if (!config.cluster().enabled()) {
            return new LocalBroker(config.identity().enabled());
        }
        return redis(config, store, monitoring);
    }

    @Produces
    @ApplicationScoped
    Relay relay(ParleyConfig config, HistoryStore store, Monitoring monitoring) {
        if (!config.cluster().enabled()) {
            return new LocalRelay();
        }
        return redis(config, store, monitoring).relay();
    }

    private synchronized RedisBroker redis(ParleyConfig config, HistoryStore store, Monitoring monitoring) {
        if (redis == null) {
            if (!store.shareable()) {
                throw new ConfigException("Cluster mode (PARLEY_REDIS_URL) needs a database the nodes share (PostgreSQL);"
                        + " the store is " + store.describe());
            }
            redis = new RedisBroker(config.cluster(), config.identity().enabled(), monitoring.meters());
        }
        return redis;
    }

    /** Closes the broker, and with it a cluster's relay. */
    void close(@Disposes Broker broker) {
        broker.close();
    }
}
