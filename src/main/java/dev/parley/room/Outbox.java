package dev.parley.room;

import jakarta.websocket.CloseReason;
import java.util.ArrayDeque;
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
 * the frame in flight, the byte bound, and one more frame.
 *
 * <p>A container may complete a send inside {@link Peer#send} itself (Tyrus does when the
 * socket takes the frame at once). The pump loop notices that and carries on in the same
 * frame of the stack instead of recursing, so a long queue cannot overflow the stack.
 */
final class Outbox {
    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    private final Peer peer;
    private final int capacity;
    private final long maxBytes;

    // guarded by this
    private ArrayDeque<String> queue;
    private long queuedBytes;
    private boolean inFlight;
    private boolean closed;
    private CloseReason closeWhenDrained;

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
    boolean offer(String frame) {
        synchronized (this) {
            if (closed || closeWhenDrained != null) {
                return true;
            }
            if (inFlight) {
                if (queue == null) {
                    queue = new ArrayDeque<>();
                }
                long bytes = 2L * frame.length();
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
        pump(frame);
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

    /** Drops what is queued and closes. */
    void closeNow(CloseReason reason) {
        synchronized (this) {
            closed = true;
            queue = null;
            queuedBytes = 0;
        }
        close(reason);
    }

    private void pump(String first) {
        String frame = first;
        while (frame != null) {
            Send send = new Send();
            try {
                peer.send(frame, send);
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
                frame = next(send.failure);
                drained = takeDrainedClose();
            }
            close(drained);
        }
    }

    /** After a completed send (failed if {@code failure} is not null): what to send next, or null. Caller holds the lock. */
    private String next(Throwable failure) {
        if (failure != null) {
            // usually the peer is gone and the container closes the session anyway; if it
            // is not (a container refusing the send), close it, or the member would stay
            // in its room hearing nothing
            LOG.log(Level.FINE, "send failed", failure);
            queue = null;
            queuedBytes = 0;
            if (closeWhenDrained == null) {
                closeWhenDrained = CloseReasons.SERVER_ERROR;
            }
        }
        String next = closed || queue == null ? null : queue.poll();
        if (next == null) {
            inFlight = false;
        } else {
            queuedBytes -= 2L * next.length();
        }
        return next;
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
            String frame;
            CloseReason drained;
            synchronized (Outbox.this) {
                completed = true;
                failure = sendFailure;
                if (!returned && Thread.currentThread() == caller) {
                    return; // inside send: pump carries on when it returns
                }
                handled = true;
                frame = next(sendFailure);
                drained = takeDrainedClose();
            }
            close(drained);
            if (frame != null) {
                pump(frame);
            }
        }
    }
}
