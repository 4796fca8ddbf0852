package dev.parley.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * Makes {@link ParleyConfig} injectable, read once from the environment and system
 * properties. The standalone runner replaces this bean with the config it already read.
 */
@ApplicationScoped
public class ConfigProducer {
    private ParleyConfig config;

    @Produces
    ParleyConfig config() {
        ParleyConfig local = config;
        if (local == null) {
            local = ParleyConfig.fromEnvironment();
            config = local;
        }
        return local;
    }
}
