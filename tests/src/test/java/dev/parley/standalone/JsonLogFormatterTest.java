package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
    private final JsonLogFormatter formatter = new JsonLogFormatter();

    private static JsonObject parse(String line) {
        assertTrue(line.endsWith(System.lineSeparator()), "a line: " + line);
        String json = line.substring(0, line.length() - System.lineSeparator().length());
        assertFalse(json.contains("\n") || json.contains("\r"), "one line: " + json);
        return Json.createReader(new StringReader(json)).readObject();
    }

    @Test
    void aRecordIsOneJsonLineWithItsMessageFormatted() {
        LogRecord record = new LogRecord(Level.INFO, "Closing {0}: said \"{1}\"");
        record.setParameters(new Object[] {"Connection[lobby/ann]", "two\nlines </script> \u2028"});
        record.setLoggerName("dev.parley.room.Connection");
        record.setInstant(Instant.parse("2026-12-02T05:13:56.406Z"));
        JsonObject line = parse(formatter.format(record));
        assertEquals("2026-12-02T05:13:56.406Z", line.getString("ts"));
        assertEquals("INFO", line.getString("level"));
        assertEquals("dev.parley.room.Connection", line.getString("logger"));
        assertEquals(Thread.currentThread().getName(), line.getString("thread"));
        assertEquals("Closing Connection[lobby/ann]: said \"two\nlines </script> \u2028\"", line.getString("message"));
        assertFalse(line.containsKey("thrown"));
    }

    @Test
    void anExceptionGoesInThrownWithItsStackTrace() {
        LogRecord record = new LogRecord(Level.WARNING, "History writer failure");
        record.setThrown(new IllegalStateException("disk full"));
        JsonObject line = parse(formatter.format(record));
        assertEquals("WARNING", line.getString("level"));
        assertEquals("null", line.getString("logger"));
        assertTrue(line.getString("thrown").startsWith("java.lang.IllegalStateException: disk full"), line.toString());
        assertTrue(line.getString("thrown").contains("at dev.parley.standalone.JsonLogFormatterTest"), line.toString());
    }
}
