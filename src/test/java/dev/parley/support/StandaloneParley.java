package dev.parley.support;

import dev.parley.config.ParleyConfig;
import dev.parley.standalone.StandaloneServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The standalone server on a free loopback port, for one test class. */
public final class StandaloneParley implements BeforeAllCallback, AfterAllCallback {
    private final UnaryOperator<ParleyConfig> settings;
    private StandaloneServer server;

    public StandaloneParley() {
        this(UnaryOperator.identity());
    }

    /** @param settings changes to the defaults for this class's server */
    public StandaloneParley(UnaryOperator<ParleyConfig> settings) {
        this.settings = settings;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    public void start() {
        ParleyConfig config = settings.apply(ParleyConfig.defaults().withPort(0));
        config = new ParleyConfig("127.0.0.1", config.port(), config.maxFrameBytes(), config.idleTimeout(),
                config.historyKeep(), config.sendQueue(), config.recoveryCap());
        try {
            server = StandaloneServer.start(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public URI chatUri(String room) {
        return server.chatUri(room);
    }

    public URI httpUri() {
        return server.httpUri();
    }
}
