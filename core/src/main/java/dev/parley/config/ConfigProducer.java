package dev.parley.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Makes {@link ParleyConfig} injectable, read once from the environment and system
 * properties, over the deployment's own {@value #DEPLOYMENT_SETTINGS} if it has one (a
 * WAR's {@code WEB-INF/classes}: settings that travel with one deployment, such as its
 * token key). The standalone runner replaces this bean with the config it already read.
 */
@ApplicationScoped
public class ConfigProducer {
    static final String DEPLOYMENT_SETTINGS = "parley.properties";
    private ParleyConfig config;

    @Produces
    ParleyConfig config() {
        ParleyConfig local = config;
        if (local == null) {
            local = ParleyConfig.fromEnvironment(deploymentSettings());
            config = local;
        }
        return local;
    }

    private static Properties deploymentSettings() {
        Properties settings = new Properties();
        try (InputStream in = ConfigProducer.class.getClassLoader().getResourceAsStream(DEPLOYMENT_SETTINGS)) {
            if (in != null) {
                settings.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEPLOYMENT_SETTINGS, e);
        }
        return settings;
    }
}
