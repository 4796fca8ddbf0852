package dev.parley.room;

import java.util.ArrayDeque;

/**
 * A connection's frames that came while one that waits (a join, a history request) was
 * answered on the work pool, in order; bounded like its send queue, in frames and bytes.
 * Its monitor is its own and it calls nothing under it.
 */
final class Inbox {
    /** A frame and the rate limit's verdict on it when it came. */
    record Waiting(String frame, RateLimit.Verdict verdict) {
    }

    /** What {@link #offer} did with a frame. */
    enum Taken {
        /** Nothing is being answered: answer it now, on this thread. */
        NOW,
        /** It waits its turn behind the frame being answered. */
        QUEUED,
        /** Too many wait already: the client floods. */
        FULL
    }

    private final int maxFrames;
    private final long maxBytes;
    private boolean answering;
    private ArrayDeque<Waiting> waiting; // made when first needed: most connections never need it
    private long bytes;

    Inbox(int maxFrames, long maxBytes) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    synchronized Taken offer(String frame, RateLimit.Verdict verdict) {
        if (!answering) {
            return Taken.NOW;
        }
        long size = 2L * frame.length();
        if (waiting == null) {
            waiting = new ArrayDeque<>();
        }
        if (waiting.size() >= maxFrames || bytes + size > maxBytes) {
            return Taken.FULL;
        }
        waiting.add(new Waiting(frame, verdict));
        bytes += size;
        return Taken.QUEUED;
    }

    /** A frame that waits is being answered: the ones that come meanwhile queue. */
    synchronized void answering() {
        answering = true;
    }

    /** The next frame that came meanwhile; null when none is left, and frames are answered as they come again. */
    synchronized Waiting next() {
        Waiting next = waiting == null ? null : waiting.poll();
        if (next == null) {
            answering = false;
            waiting = null; // an idle connection keeps none
            return null;
        }
        bytes -= 2L * next.frame().length();
        return next;
    }
}
