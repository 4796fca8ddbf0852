package dev.parley.standalone;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.temporal.ChronoUnit;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * PARLEY_LOG_FORMAT=json: one JSON object per line, for log shippers:
 * {@code {"ts":"2026-12-02T05:13:56.406Z","level":"WARNING","logger":"dev.parley.broker.RedisBroker",
 * "thread":"parley-heartbeat","message":"...","thrown":"..."}}, {@code thrown} only with an exception.
 * Whatever a message holds (quotes, line breaks, a client's text) stays inside its string.
 */
final class JsonLogFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = Json.createGenerator(line)) {
            json.writeStartObject()
                    .write("ts", record.getInstant().truncatedTo(ChronoUnit.MILLIS).toString())
                    .write("level", record.getLevel().getName())
                    .write("logger", String.valueOf(record.getLoggerName()))
                    .write("thread", threadName(record.getLongThreadID()))
                    .write("message", String.valueOf(formatMessage(record)));
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                json.write("thrown", trace.toString());
            }
            json.writeEnd();
        }
        return line.append(System.lineSeparator()).toString();
    }

    /** The logging thread's name when it is the current one (JUL records only its id). */
    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; Parley runs on 17
    private static String threadName(long id) {
        Thread current = Thread.currentThread();
        return current.getId() == id ? current.getName() : "#" + id;
    }
}
