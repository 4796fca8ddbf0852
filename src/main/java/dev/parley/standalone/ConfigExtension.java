package dev.parley.standalone;

import dev.parley.config.ConfigProducer;
import dev.parley.config.ParleyConfig;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;

/** Gives the CDI container the config the runner has already read and checked. */
final class ConfigExtension implements Extension {
    private final ParleyConfig config;

    ConfigExtension(ParleyConfig config) {
        this.config = config;
    }

    void replaceProducer(@Observes ProcessAnnotatedType<ConfigProducer> producer) {
        producer.veto();
    }

    void addConfig(@Observes AfterBeanDiscovery discovery) {
        discovery.addBean().types(ParleyConfig.class, Object.class).scope(Dependent.class).createWith(c -> config);
    }
}
