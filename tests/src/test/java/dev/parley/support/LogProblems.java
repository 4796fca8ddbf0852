package dev.parley.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Records, for each test, what an in-process server logs at WARNING or above or with a
 * stack trace (every logger at its default level: stricter than the standalone Main,
 * which quiets some libraries), so a test can assert that a client could cause none of it.
 */
public final class LogProblems implements BeforeEachCallback, AfterEachCallback {
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getThrown() != null || record.getLevel().intValue() >= Level.WARNING.intValue()) {
                problems.add(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage()
                        + (record.getThrown() == null ? "" : " " + record.getThrown()));
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
    public void beforeEach(ExtensionContext context) {
        problems.clear();
        Logger.getLogger("").addHandler(recorder);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Logger.getLogger("").removeHandler(recorder);
    }

    /** What was logged so far in this test. */
    public List<String> recorded() {
        return List.copyOf(problems);
    }
}
