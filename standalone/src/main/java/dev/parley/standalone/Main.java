package dev.parley.standalone;

import dev.parley.config.ConfigException;
import dev.parley.config.ParleyConfig;
import dev.parley.room.RoomRegistry;
import dev.parley.store.StoreException;
import java.io.IOException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code java -jar target/parley-standalone.jar}: settings come from PARLEY_* variables.
 * With arguments it is a command instead ({@link CommandLine}): help, the version, a token.
 */
public final class Main {
    static { // before the first logger below: the log manager is chosen when one is first made
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", ParleyLogManager.class.getName());
        }
    }

    /** Held so the levels stick: JUL keeps loggers only weakly. */
    private static final Logger[] QUIET = {
        Logger.getLogger("org.glassfish"), Logger.getLogger("org.jboss.weld"), Logger.getLogger("org.jboss.logging"),
        Logger.getLogger("com.zaxxer.hikari"), Logger.getLogger("org.flywaydb"), RoomRegistry.STARTUP};
    /** Logs a stack trace at WARNING for every connection a client breaks (a frame Tyrus cannot make sense of, for one). */
    private static final Logger TYRUS_CONNECTION_ERRORS = Logger.getLogger("org.glassfish.tyrus.core.TyrusEndpointWrapper");

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        configureLogging();
        if (args.length > 0) {
            System.exit(CommandLine.run(args, ParleyConfig::fromEnvironment, System.out, System.err));
            return;
        }
        ParleyConfig config;
        try {
            config = ParleyConfig.fromEnvironment();
        } catch (ConfigException e) {
            System.err.println("parley: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (config.jsonLogs()) {
            for (Handler handler : Logger.getLogger("").getHandlers()) {
                handler.setFormatter(new JsonLogFormatter());
            }
        }
        StandaloneServer server;
        try {
            server = StandaloneServer.start(config);
        } catch (IOException e) {
            System.err.println("parley: cannot start on " + config.host() + ":" + config.port() + ": " + e.getMessage());
            System.exit(1);
            return;
        } catch (StartException | StoreException e) {
            System.err.println("parley: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            ParleyLogManager.resetAtLast();
        }, "parley-shutdown"));
        Thread.currentThread().join();
    }

    /** One line per record; the libraries' own start-up chatter only when it is a warning. */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        for (Logger quiet : QUIET) {
            quiet.setLevel(Level.WARNING);
        }
        TYRUS_CONNECTION_ERRORS.setLevel(Level.SEVERE);
    }
}
