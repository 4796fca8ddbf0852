package dev.parley.room;

import dev.parley.protocol.Frame;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A transport for the room package's unit tests: what the server sent, in order, and how
 * it closed. Sends complete at once, unless the peer was told to {@link #stall} (a client
 * that stopped reading).
 */
final class FakePeer implements Peer {
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final BlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();
    private volatile boolean stalled;
    private volatile Thread lastSender;
    private volatile Runnable gone; // dead: what the transport calls once it closes
    private volatile long leavesUnderFailedSend = -1;

    @Override
    public void send(List<Frame> sent, Consumer<Throwable> done) {
        Runnable dead = gone;
        if (dead != null) {
            leavesUnderFailedSend = StackWalker.getInstance().walk(stack -> stack
                    .filter(f -> f.getClassName().equals(Room.class.getName()) && f.getMethodName().equals("leave"))
                    .count());
            done.accept(new IOException("the socket is gone"));
            return;
        }
        lastSender = Thread.currentThread();
        sent.forEach(frame -> frames.add(frame.text()));
        if (!stalled) {
            done.accept(null);
        }
    }

    @Override
    public void close(CloseReason reason) {
        closes.add(reason);
        Runnable dead = gone;
        if (dead != null) {
            dead.run();
        }
    }

    @Override
    public String transport() {
        return "websocket";
    }

    /** The thread of the last send. */
    Thread lastSender() {
        return lastSender;
    }

    /**
     * From now on the socket is gone, as after a reset: a send fails at once, and a close
     * calls {@code closed} at once (a transport telling its connection the socket closed).
     */
    void die(Runnable closed) {
        gone = closed;
    }

    /** How many {@code Room.leave} calls were on the stack when a send failed, dead; -1 if none did. */
    long leavesUnderFailedSend() {
        return leavesUnderFailedSend;
    }

    /** From now on, no send completes. */
    void stall() {
        stalled = true;
    }

    /** The next frame sent, waiting up to five seconds; fails if none came. */
    String next() throws InterruptedException {
        String frame = frames.poll(5, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within 5 s");
        }
        return frame;
    }

    /** The next frame sent whose type is not one of {@code skipped}. */
    String nextBut(String... skipped) throws InterruptedException {
        while (true) {
            String frame = next();
            if (List.of(skipped).stream().noneMatch(type -> frame.startsWith("{\"type\":\"" + type + "\""))) {
                return frame;
            }
        }
    }

    /** A frame sent within {@code millis}, or null. */
    String poll(long millis) throws InterruptedException {
        return frames.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** How the server closed, waiting up to five seconds; fails if it did not. */
    CloseReason closed() throws InterruptedException {
        CloseReason reason = closes.poll(5, TimeUnit.SECONDS);
        if (reason == null) {
            throw new AssertionError("not closed within 5 s");
        }
        return reason;
    }

    /** A close within {@code millis}, or null. */
    CloseReason closedWithin(long millis) throws InterruptedException {
        return closes.poll(millis, TimeUnit.MILLISECONDS);
    }
}
