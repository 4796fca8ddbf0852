package dev.parley.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.Frame;
import dev.parley.room.CloseReasons;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event stream over {@link OffThreadSink} over a sink whose writes block (Open Liberty's):
 * the stream's writes happen on the writer, one batch at a time, and a writer stuck on a
 * client that stopped reading holds neither the caller's thread nor the stream.
 */
class OffThreadSinkTest {
    private static final String MESSAGE = "{\"type\":\"message\",\"room\":\"lobby\",\"seq\":7,\"user\":\"ada\",\"text\":\"hi\","
            + "\"ts\":\"2026-11-21T21:00:00.123Z\"}";

    /** A blocking response: records its calls and the threads they came on; a flush waits for {@link #release}. */
    private static final class BlockingSink implements SseStream.Sink {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        final BlockingQueue<Thread> flushing = new LinkedBlockingQueue<>(); // a flush began (and may be waiting)
        volatile CountDownLatch release = new CountDownLatch(0);
        volatile Thread lastThread;
        volatile boolean ready = true;

        @Override
        public void bind(SseStream stream) {
        }

        @Override
        public boolean ready() {
            return ready; // Liberty says true even when a write would block
        }

        @Override
        public synchronized void write(byte[] bytes) {
            lastThread = Thread.currentThread();
            written.writeBytes(bytes);
        }

        @Override
        public void flush() {
            lastThread = Thread.currentThread();
            flushing.add(lastThread);
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            calls.add("flush");
        }

        @Override
        public void end() {
            calls.add("end");
        }

        @Override
        public void abort() {
            calls.add("abort");
        }

        synchronized String text() {
            return written.toString(StandardCharsets.UTF_8);
        }
    }

    /** Runs tasks only when told. */
    private static final class ManualExecutor implements java.util.concurrent.Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
        }
    }

    private final BlockingSink inner = new BlockingSink();
    private final ExecutorService writer = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        writer.shutdownNow();
    }

    private static SseStream stream(OffThreadSink sink) {
        SseStream stream = new SseStream("bm9kZQ.AAAAAAAAAAAAAAAAAAAAAA", "lobby", 2000, sink, s -> { });
        sink.bind(stream);
        return stream;
    }

    @Test
    void writesGoOutOnTheWriterAndTheFrameIsToldSentOnlyOnceFlushed() throws Exception {
        ManualExecutor writers = new ManualExecutor();
        SseStream stream = stream(new OffThreadSink(inner, writers));
        BlockingQueue<Object> told = new LinkedBlockingQueue<>();
        stream.attach(null);
        stream.send(List.of(Frame.of(MESSAGE)), failure -> told.add(failure == null ? "sent" : failure));
        assertEquals("", inner.text(), "nothing written on the caller's thread");
        assertNull(told.peek());

        writers.runAll();
        assertTrue(inner.text().startsWith("retry: 2000\nevent: connection\n"), inner.text());
        assertTrue(inner.text().endsWith("id: 7\ndata: " + MESSAGE + "\n\n"), inner.text());
        assertEquals("sent", told.poll());

        stream.close(CloseReasons.SLOW_CONSUMER);
        writers.runAll();
        assertTrue(inner.text().contains("event: close\n"), inner.text());
        assertEquals(List.of("flush", "flush", "flush", "end"), List.copyOf(inner.calls));
    }

    @Test
    void aWriterStuckOnAStalledClientHoldsNeitherTheCallerNorTheStream() throws Exception {
        SseStream stream = stream(new OffThreadSink(inner, writer));
        stream.attach(null);
        assertEquals("flush", inner.calls.poll(5, TimeUnit.SECONDS));
        assertFalse(inner.lastThread == Thread.currentThread(), "written on the writer");

        inner.release = new CountDownLatch(1); // the client stops reading
        inner.flushing.clear();
        BlockingQueue<Object> told = new LinkedBlockingQueue<>();
        stream.send(List.of(Frame.of(MESSAGE)), failure -> told.add(failure == null ? "sent" : failure));
        assertTrue(inner.flushing.poll(5, TimeUnit.SECONDS) != null, "the message's flush is under way, and stuck");
        stream.close(CloseReasons.SLOW_CONSUMER);
        stream.tick(System.nanoTime() + TimeUnit.SECONDS.toNanos(6), Long.MAX_VALUE, TimeUnit.SECONDS.toNanos(5));
        assertTrue(told.poll(5, TimeUnit.SECONDS) instanceof java.io.IOException, "the frame in flight failed");
        assertNull(inner.calls.poll(100, TimeUnit.MILLISECONDS), "the stuck write is not ended under it");

        inner.release.countDown(); // the container fails or finishes the write
        assertEquals("flush", inner.calls.poll(5, TimeUnit.SECONDS));
        assertEquals("abort", inner.calls.poll(5, TimeUnit.SECONDS), "then the response is dropped, on the writer");
    }

    @Test
    void aBatchTheSinkIsNotReadyForGoesOnWhenTheContainerSaysItIs() throws Exception {
        ManualExecutor writers = new ManualExecutor();
        SseStream stream = stream(new OffThreadSink(inner, writers));
        stream.attach(null);
        writers.runAll();
        int before = inner.text().length();
        BlockingQueue<Object> told = new LinkedBlockingQueue<>();
        inner.ready = false;
        stream.send(List.of(Frame.of(MESSAGE)), failure -> told.add(failure == null ? "sent" : failure));
        writers.runAll();
        assertEquals(before, inner.text().length(), "nothing written while the sink is not ready");

        inner.ready = true;
        stream.writable(); // the container's onWritePossible
        writers.runAll();
        assertTrue(inner.text().endsWith("id: 7\ndata: " + MESSAGE + "\n\n"), inner.text());
        assertEquals("sent", told.poll());

        inner.ready = false; // the client stops reading for good: the stream is given up, the response dropped
        stream.send(List.of(Frame.of(MESSAGE)), failure -> told.add(failure == null ? "sent" : failure));
        writers.runAll();
        stream.close(dev.parley.room.CloseReasons.SLOW_CONSUMER);
        stream.tick(System.nanoTime() + TimeUnit.SECONDS.toNanos(6), Long.MAX_VALUE, TimeUnit.SECONDS.toNanos(5));
        writers.runAll();
        assertTrue(told.poll() instanceof java.io.IOException);
        assertEquals("abort", inner.calls.stream().reduce((a, b) -> b).orElse(null), "dropped without waiting for the sink");
    }
}
