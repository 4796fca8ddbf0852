package dev.parley.standalone;

import dev.parley.config.ConfigProducer;
import dev.parley.config.ParleyConfig;
import dev.parley.store.ChatDatabase;
import dev.parley.store.JndiDataSourceProducer;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import javax.sql.DataSource;

/**
 * What the standalone runner gives the CDI container in place of an application
 * server's: the config it has read and checked, and its own connection pool (or none,
 * with the memory store).
 */
final class StandaloneBeans implements Extension {
    private final ParleyConfig config;
    private final DataSource database;

    StandaloneBeans(ParleyConfig config, DataSource database) {
        this.config = config;
        this.database = database;
    }

    void replaceConfigProducer(@Observes ProcessAnnotatedType<ConfigProducer> producer) {
        producer.veto();
    }

    void replaceJndiLookup(@Observes ProcessAnnotatedType<JndiDataSourceProducer> producer) {
        producer.veto();
    }

    void addBeans(@Observes AfterBeanDiscovery discovery) {
        discovery.addBean().types(ParleyConfig.class, Object.class).scope(Dependent.class).createWith(c -> config);
        if (database != null) {
            discovery.addBean().types(DataSource.class, Object.class).qualifiers(ChatDatabase.Literal.INSTANCE)
                    .scope(Dependent.class).createWith(c -> database);
        }
    }
}
