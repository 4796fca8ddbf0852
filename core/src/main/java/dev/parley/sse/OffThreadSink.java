package dev.parley.sse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A sink whose writes may block, made safe to write from a room's thread: what the stream
 * writes is collected, and at its flush written and flushed on a thread of {@code writers},
 * one batch at a time, with {@link #ready} false meanwhile (the sink's own readiness is
 * asked there, before each call); the response ends there too, after the batch before it.
 * So a client that stops reading holds a writer thread until the container fails the
 * write, never the stream's lock, a room's thread or the heartbeat timer.
 *
 * <p>For Open Liberty, whose Servlet non-blocking output is not: with a write listener set
 * and {@code isReady()} true, {@code flush()}, and a write that fills its 32 KB buffer, write
 * to the socket synchronously (its {@code writeTimeout} ends a stalled one).
 */
public final class OffThreadSink implements SseStream.Sink {
    private final SseStream.Sink sink;
    private final Executor writers;
    private final List<byte[]> batch = new ArrayList<>(4); // written since the last flush: the stream's calls only
    private SseStream stream;
    private boolean busy;    // a batch is being written; guarded by this
    private boolean ending;  // the response ends (end or abort) once no batch is; guarded by this
    private boolean abort;   // guarded by this
    private Runnable resume; // the rest of a batch the sink was not ready for; guarded by this

    public OffThreadSink(SseStream.Sink sink, Executor writers) {
        this.sink = sink;
        this.writers = writers;
    }

    @Override
    public void bind(SseStream stream) {
        this.stream = stream;
        sink.bind(stream);
    }

    @Override
    public boolean ready() {
        Runnable again;
        synchronized (this) {
            if (resume == null) {
                return !busy && !ending;
            }
            if (!sink.ready()) { // nothing writes meanwhile: asking here is safe
                return false;
            }
            again = resume;
            resume = null;
        }
        run(again); // the container is ready again for the batch it held up
        return false;
    }

    @Override
    public void write(byte[] bytes) {
        batch.add(bytes);
    }

    @Override
    public void flush() {
        List<byte[]> bytes = List.copyOf(batch);
        batch.clear();
        synchronized (this) {
            busy = true;
        }
        run(() -> writeOut(bytes, 0));
    }

    /**
     * Writes {@code bytes} from {@code from} on, then flushes: each call after the sink said
     * it is ready, on this thread (Open Liberty allows a write only on the thread that asked).
     * A sink that is not ready calls the stream's {@code writable()} once it is, and the
     * stream asks {@link #ready}, which goes on from here.
     */
    private void writeOut(List<byte[]> bytes, int from) {
        try {
            for (int i = from; i <= bytes.size(); i++) {
                synchronized (this) {
                    if (!sink.ready()) {
                        int next = i;
                        resume = () -> writeOut(bytes, next);
                        return;
                    }
                }
                if (i < bytes.size()) {
                    sink.write(bytes.get(i));
                } else {
                    sink.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            stream.failed(e); // ends the response: abort() comes back in here
        }
        boolean end;
        synchronized (this) {
            busy = false;
            end = ending;
        }
        if (end) {
            endNow();
        } else {
            stream.writable();
        }
    }

    @Override
    public void end() {
        ending(false);
    }

    @Override
    public void abort() {
        ending(true);
    }

    private void ending(boolean abort) {
        synchronized (this) {
            if (ending) {
                return;
            }
            ending = true;
            this.abort = abort;
            if (busy && resume == null) {
                return; // writeOut ends it
            }
            resume = null; // a batch the sink was not ready for is given up: nothing is writing
            busy = false;
        }
        run(this::endNow);
    }

    private void endNow() {
        boolean drop;
        synchronized (this) {
            drop = abort;
        }
        if (drop) {
            sink.abort();
        } else {
            sink.end();
        }
    }

    private void run(Runnable task) {
        try {
            writers.execute(task);
        } catch (RejectedExecutionException e) { // stopping: the response is left to the container
            stream.failed(new IOException("no thread to write the stream", e));
        }
    }
}
