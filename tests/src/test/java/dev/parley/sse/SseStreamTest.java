package dev.parley.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.Frame;
import dev.parley.room.CloseReasons;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The event stream against a fake sink whose readiness the test sets. */
class SseStreamTest {
    private static final long HEARTBEAT = TimeUnit.SECONDS.toNanos(25);
    private static final long CLOSE = TimeUnit.SECONDS.toNanos(5);

    /** A response that takes bytes while {@link #ready} is true; records what was flushed and whether it ended. */
    private static final class FakeSink implements SseStream.Sink {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        int flushedUpTo;
        boolean ready = true;
        boolean ended;
        boolean aborted;
        IOException failWrites;

        @Override
        public void bind(SseStream stream) {
        }

        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            if (failWrites != null) {
                throw failWrites;
            }
            written.writeBytes(bytes);
        }

        int flushes;

        @Override
        public void flush() {
            flushedUpTo = written.size();
            flushes++;
        }

        @Override
        public void end() {
            ended = true;
        }

        @Override
        public void abort() {
            aborted = true;
        }

        String flushed() {
            return new String(written.toByteArray(), 0, flushedUpTo, StandardCharsets.UTF_8);
        }
    }

    /** What the outbox would be told of its frame in flight. */
    private static final class Done implements Consumer<Throwable> {
        int told;
        Throwable failure;

        @Override
        public void accept(Throwable t) {
            told++;
            failure = t;
        }
    }

    private final FakeSink sink = new FakeSink();
    private final List<SseStream> ended = new ArrayList<>();
    private final SseStream stream = new SseStream("bm9kZQ.AAAAAAAAAAAAAAAAAAAAAA", "lobby", 2000, sink, ended::add);

    private static final String MESSAGE = "{\"type\":\"message\",\"room\":\"lobby\",\"seq\":42,\"user\":\"ada\",\"text\":\"hi\","
            + "\"ts\":\"2026-11-21T21:00:00.123Z\"}";

    @Test
    void nothingIsWrittenBeforeTheConnectionIsAttachedThenTheOpeningEventComesFirst() {
        Done done = new Done();
        send("{\"type\":\"error\",\"code\":\"bad-room\",\"message\":\"no\"}", done);
        assertEquals("", sink.flushed());
        assertEquals(0, done.told);

        stream.attach(null);
        assertEquals("retry: 2000\nevent: connection\ndata: {\"id\":\"bm9kZQ.AAAAAAAAAAAAAAAAAAAAAA\"}\n\n"
                + "data: {\"type\":\"error\",\"code\":\"bad-room\",\"message\":\"no\"}\n\n", sink.flushed());
        assertEquals(1, done.told);
        assertNull(done.failure);
    }

    private void send(String frame, Consumer<Throwable> done) {
        stream.send(List.of(Frame.of(frame)), done);
    }

    @Test
    void framesSentTogetherAreWrittenInOrderThenFlushedOnceAndToldOnce() {
        stream.attach(null);
        int flushes = sink.flushes;
        Done done = new Done();
        stream.send(List.of(Frame.of("{\"n\":1}"), Frame.of(MESSAGE), Frame.of("{\"n\":3}")), done);
        assertTrue(sink.flushed().endsWith("data: {\"n\":1}\n\nid: 42\ndata: " + MESSAGE + "\n\ndata: {\"n\":3}\n\n"),
                sink.flushed());
        assertEquals(flushes + 1, sink.flushes);
        assertEquals(1, done.told);
        assertNull(done.failure);
    }

    @Test
    void aMessageCarriesItsSeqAsTheEventId() {
        stream.attach(null);
        send(MESSAGE, new Done());
        assertTrue(sink.flushed().endsWith("\n\nid: 42\ndata: " + MESSAGE + "\n\n"), sink.flushed());
    }

    @Test
    void aFrameIsToldSentOnlyOnceTheSinkTookAndFlushedIt() {
        stream.attach(null);
        sink.ready = false;
        Done done = new Done();
        send(MESSAGE, done);
        assertEquals(0, done.told);
        assertFalse(sink.flushed().contains(MESSAGE));

        sink.ready = true;
        stream.writable();
        assertEquals(1, done.told);
        assertTrue(sink.flushed().contains(MESSAGE));
    }

    @Test
    void closeWritesTheCloseEventAfterWhatWasInFlightThenEnds() {
        stream.attach(null);
        sink.ready = false;
        Done done = new Done();
        send(MESSAGE, done);
        stream.close(CloseReasons.SLOW_CONSUMER);
        assertFalse(sink.ended);

        sink.ready = true;
        stream.writable();
        assertTrue(sink.flushed().endsWith("data: " + MESSAGE + "\n\nevent: close\ndata: {\"code\":1008,\"reason\":"
                + "\"slow consumer\"}\n\n"), sink.flushed());
        assertTrue(sink.ended);
        assertEquals(List.of(stream), ended);
        assertFalse(stream.open());
    }

    @Test
    void aFrameSentAfterTheCloseFailsAtOnce() {
        stream.attach(null);
        stream.close(CloseReasons.IDLE);
        Done done = new Done();
        send(MESSAGE, done);
        assertEquals(1, done.told);
        assertNotNull(done.failure);
    }

    @Test
    void aQuietStreamGetsACommentAfterTheHeartbeatIntervalAndNotBefore() {
        stream.attach(null);
        int before = sink.flushed().length();
        long now = System.nanoTime();
        stream.tick(now + HEARTBEAT / 2, HEARTBEAT, CLOSE);
        assertEquals(before, sink.flushed().length());

        stream.tick(now + HEARTBEAT + 1, HEARTBEAT, CLOSE);
        assertEquals(":\n\n", sink.flushed().substring(before));
    }

    @Test
    void aSendWhoseWritableNeverCameIsToldDoneAtTheNextTickOnceTheSinkIsReady() {
        stream.attach(null);
        sink.ready = false;
        Done done = new Done();
        send(MESSAGE, done);
        stream.tick(System.nanoTime(), HEARTBEAT, CLOSE);
        assertEquals(0, done.told, "the sink is still not ready");

        sink.ready = true; // and the container never says so
        stream.tick(System.nanoTime(), HEARTBEAT, CLOSE);
        assertEquals(1, done.told);
        assertNull(done.failure);
        assertTrue(sink.flushed().endsWith("data: " + MESSAGE + "\n\n"), sink.flushed());
    }

    @Test
    void noCommentGoesOutWhileAFrameWaitsForTheSink() {
        stream.attach(null);
        sink.ready = false;
        send(MESSAGE, new Done());
        stream.tick(System.nanoTime() + 2 * HEARTBEAT, HEARTBEAT, CLOSE);
        sink.ready = true;
        stream.writable();
        assertFalse(sink.flushed().contains(":\n\n"), sink.flushed());
    }

    @Test
    void aCloseThatCannotBeWrittenIsGivenUpAfterTheCloseDeadline() {
        stream.attach(null);
        sink.ready = false;
        Done done = new Done();
        send(MESSAGE, done);
        stream.close(CloseReasons.SLOW_CONSUMER);
        stream.tick(System.nanoTime() + CLOSE / 2, HEARTBEAT, CLOSE);
        assertFalse(sink.aborted);

        stream.tick(System.nanoTime() + CLOSE + TimeUnit.SECONDS.toNanos(1), HEARTBEAT, CLOSE);
        assertTrue(sink.aborted, "dropped: the client is not reading");
        assertFalse(sink.ended);
        assertEquals(1, done.told);
        assertNotNull(done.failure, "the frame in flight never went out");
        assertEquals(List.of(stream), ended);
    }

    @Test
    void aFailedWriteFailsTheFrameInFlightAndEndsTheStream() {
        stream.attach(null);
        sink.failWrites = new IOException("broken pipe");
        Done done = new Done();
        send(MESSAGE, done);
        assertEquals(1, done.told);
        assertEquals("broken pipe", done.failure.getMessage());
        assertTrue(sink.aborted);
        assertEquals(List.of(stream), ended);
    }

    @Test
    void theClientGoingAwayFailsTheFrameInFlightOnce() {
        stream.attach(null);
        sink.ready = false;
        Done done = new Done();
        send(MESSAGE, done);
        stream.failed(new IOException("reset"));
        stream.failed(new IOException("reset again"));
        assertEquals(1, done.told);
        assertEquals(List.of(stream), ended);
    }

    @Test
    void eventIdsAreAMessagesSeqAndAWelcomesNewestHistorySeq() {
        assertEquals(42, Events.eventId(MESSAGE));
        assertEquals(7, Events.eventId("{\"type\":\"welcome\",\"room\":\"r\",\"user\":\"a\",\"users\":[\"a\"],\"history\":["
                + "{\"type\":\"message\",\"room\":\"r\",\"seq\":6,\"user\":\"b\",\"text\":\"x\\\"seq\\\":99\",\"ts\":\"t\"},"
                + "{\"type\":\"message\",\"room\":\"r\",\"seq\":7,\"user\":\"b\",\"text\":\"y\",\"ts\":\"t\"}]}"));
        assertEquals(-1, Events.eventId("{\"type\":\"welcome\",\"room\":\"r\",\"user\":\"a\",\"users\":[\"a\"],\"history\":[]}"));
        assertEquals(-1, Events.eventId("{\"type\":\"ack\",\"cid\":\"c\",\"seq\":3}"));
        assertEquals(43, Events.eventId("{\"type\":\"edit\",\"room\":\"r\",\"seq\":43,\"ref\":42,\"user\":\"a\",\"text\":\"x\"}"));
        assertEquals(44, Events.eventId("{\"type\":\"delete\",\"room\":\"r\",\"seq\":44,\"ref\":42,\"user\":\"a\"}"));
        assertEquals(45, Events.eventId("{\"type\":\"react\",\"room\":\"r\",\"seq\":45,\"ref\":42,\"emoji\":\"seq\"}"));
        assertEquals(-1, Events.eventId("{\"type\":\"pong\",\"seq\":3}"));
    }
}
