package dev.parley.room;

import dev.parley.protocol.Frame;
import jakarta.websocket.CloseReason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connection's outbound frames: at most one asynchronous send in flight, the rest
 * queued in order, up to a bound in frames and one in bytes. Offering never blocks, so a
 * slow or dead peer delays nobody else; when the queue is full the offer is refused and
 * the caller closes the connection as a slow consumer. A frame's bytes are what its text
 * may take in memory, two per UTF-16 unit; one frame is always taken when nothing waits,
 * however large (a {@code history} reply can be megabytes), so a connection holds at most
 * the send in flight, the byte bound, and one more frame.
 *
 * <p>Frames that queued while a send was in flight go out together in the next send, in
 * order, up to {@link #BATCH_FRAMES} frames and {@link #BATCH_BYTES} bytes (always at least
 * one): a peer that can writes them in one call, so a connection that falls behind costs
 * one write for many frames rather than one each.
 *
 * <p>A container may complete a send inside {@link Peer#send} itself (Tyrus does when the
 * socket takes the frame at once). The pump loop notices that and carries on in the same
 * frame of the stack instead of recursing, so a long queue cannot overflow the stack.
 *
 * <p>A close may have a last word: a frame that goes out after what it lets through and
 * before the close frame, outside the bounds (the {@code reconnect} hint before 1001 and
 * 1013). Then the close waits for the send in flight, if any, and for the last word's send,
 * even when what is queued is dropped.
 */
final class Outbox {
    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());
    static final int BATCH_FRAMES = 64;
    static final long BATCH_BYTES = 64 * 1024;

    private final Peer peer;
    private final int capacity;
    private final long maxBytes;

    // guarded by this
    private ArrayDeque<Frame> queue;
    private long queuedBytes;
    private boolean inFlight;
    private boolean closed;
    private CloseReason closeWhenDrained;
    private Frame lastWord; // sent once the queue is drained, before the close

    Outbox(Peer peer, int capacity, long maxBytes) {
        this.peer = peer;
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /**
     * Queues a frame for sending.
     *
     * @return false if the queue is full (in frames or bytes): the outbox then refuses everything from now on
     *         and the caller must close the connection; true otherwise, also when the
     *         outbox is already closed and the frame is dropped
     */
    boolean offer(Frame frame) {
        synchronized (this) {
            if (closed || closeWhenDrained != null) {
                return true;
            }
            if (inFlight) {
                if (queue == null) {
                    queue = new ArrayDeque<>();
                }
                long bytes = frame.memoryBytes();
                if (queue.size() >= capacity || (!queue.isEmpty() && queuedBytes + bytes > maxBytes)) {
                    closed = true;
                    queue = null;
                    queuedBytes = 0;
                    return false;
                }
                queue.add(frame);
                queuedBytes += bytes;
                return true;
            }
            inFlight = true;
        }
        pump(List.of(frame));
        return true;
    }

    /** Sends what is queued, then closes; frames offered from now on are dropped. */
    void closeWhenDrained(CloseReason reason) {
        synchronized (this) {
            if (closed || closeWhenDrained != null) {
                return;
            }
            if (inFlight) {
                closeWhenDrained = reason;
                return;
            }
            closed = true;
        }
        close(reason);
    }

    /**
     * Sends what is queued, then {@code last}, then closes; frames offered from now on are
     * dropped. Nothing changes if the outbox is closed or closing already.
     */
    void closeWhenDrained(CloseReason reason, Frame last) {
        synchronized (this) {
            if (closed || closeWhenDrained != null) {
                return;
            }
            closeWhenDrained = reason;
            if (inFlight) {
                lastWord = last;
                return;
            }
            inFlight = true;
        }
        pump(List.of(last));
    }

    /** Drops what is queued and closes. */
    void closeNow(CloseReason reason) {
        synchronized (this) {
            closed = true;
            queue = null;
            queuedBytes = 0;
            lastWord = null;
        }
        close(reason);
    }

    /**
     * Drops what is queued, sends {@code last} (after the send in flight, if any) and closes
     * once it is out; frames offered from now on are dropped. An outbox that was closed already
     * (it overflowed: the client does not read) just closes; one that is closing already drops
     * what is queued and closes as it was to, after its own last word if it has one.
     */
    void closeNow(CloseReason reason, Frame last) {
        boolean sendLast = false;
        synchronized (this) {
            if (!closed) {
                queue = null;
                queuedBytes = 0;
                if (closeWhenDrained != null) {
                    return; // a send is in flight: its completion closes
                }
                closeWhenDrained = reason;
                if (inFlight) {
                    lastWord = last;
                    return;
                }
                inFlight = true;
                sendLast = true;
            }
        }
        if (sendLast) {
            pump(List.of(last));
        } else {
            close(reason);
        }
    }

    private void pump(List<Frame> first) {
        List<Frame> frames = first;
        while (frames != null) {
            Send send = new Send();
            try {
                peer.send(frames, send);
            } catch (RuntimeException | Error e) {
                // usually the session closed under us; whatever it was, this send failed, and
                // only this connection pays for it: it closes, its room goes on
                send.accept(e);
            }
            CloseReason drained;
            synchronized (this) {
                send.returned = true;
                if (!send.completed || send.handled) {
                    return; // a container thread completes it and carries on pumping
                }
                frames = next(send.failure);
                drained = takeDrainedClose();
            }
            close(drained);
        }
    }

    /** After a completed send (failed if {@code failure} is not null): what to send next, or null. Caller holds the lock. */
    private List<Frame> next(Throwable failure) {
        if (failure != null) {
            // usually the peer is gone and the container closes the session anyway; if it
            // is not (a container refusing the send), close it, or the member would stay
            // in its room hearing nothing
            LOG.log(Level.FINE, "send failed", failure);
            queue = null;
            queuedBytes = 0;
            lastWord = null;
            if (closeWhenDrained == null) {
                closeWhenDrained = CloseReasons.SERVER_ERROR;
            }
        }
        Frame next = closed || queue == null ? null : queue.poll();
        if (next == null) {
            if (!closed && lastWord != null) { // drained: the last word before the close
                List<Frame> last = List.of(lastWord);
                lastWord = null;
                return last;
            }
            inFlight = false;
            return null;
        }
        long bytes = next.memoryBytes();
        queuedBytes -= bytes;
        if (queue.isEmpty() || bytes + queue.peek().memoryBytes() > BATCH_BYTES) {
            return List.of(next);
        }
        List<Frame> batch = new ArrayList<>(Math.min(BATCH_FRAMES, queue.size() + 1));
        batch.add(next);
        while (batch.size() < BATCH_FRAMES && !queue.isEmpty() && bytes + queue.peek().memoryBytes() <= BATCH_BYTES) {
            Frame more = queue.poll();
            bytes += more.memoryBytes();
            queuedBytes -= more.memoryBytes();
            batch.add(more);
        }
        return batch;
    }

    /** The close that waited for the queue to drain (or for a failed send), if it is due now. Caller holds the lock. */
    private CloseReason takeDrainedClose() {
        if (inFlight || closeWhenDrained == null || closed) {
            return null;
        }
        closed = true;
        return closeWhenDrained;
    }

    private void close(CloseReason reason) {
        if (reason != null) {
            peer.close(reason);
        }
    }

    /** The completion of one send: tells a completion inside {@link Peer#send} from a later one. */
    private final class Send implements Consumer<Throwable> {
        private final Thread caller = Thread.currentThread();
        // guarded by Outbox.this
        private boolean completed;
        private Throwable failure;
        private boolean returned; // send has returned to pump
        private boolean handled;  // this completion, not pump, moved the queue on

        @Override
        public void accept(Throwable sendFailure) {
            List<Frame> frames;
            CloseReason drained;
            synchronized (Outbox.this) {
                completed = true;
                failure = sendFailure;
                if (!returned && Thread.currentThread() == caller) {
                    return; // inside send: pump carries on when it returns
                }
                handled = true;
                frames = next(sendFailure);
                drained = takeDrainedClose();
            }
            close(drained);
            if (frames != null) {
                pump(frames);
            }
        }
    }
}
