package dev.parley.standalone;

import dev.parley.protocol.FuzzCases;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fuzz run against the standalone server, in this JVM, so its log is read too (every logger at INFO). */
class FuzzedConnectionTest extends FuzzCases {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();

    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue() || record.getThrown() != null) {
                logged.add(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage() + " "
                        + record.getThrown());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Override
    protected URI chatUri(String room) {
        return SERVER.chatUri(room);
    }

    @Override
    protected List<String> serverLogProblems() {
        return List.copyOf(logged);
    }

    @BeforeEach
    void captureTheLog() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void releaseTheLog() {
        Logger.getLogger("").removeHandler(capture);
    }
}
