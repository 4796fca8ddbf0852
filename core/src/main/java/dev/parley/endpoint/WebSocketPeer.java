package dev.parley.endpoint;

import dev.parley.metrics.Meters;
import dev.parley.protocol.Frame;
import dev.parley.room.Peer;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A connection's frames on its WebSocket session, through the portable asynchronous
 * remote: the container encodes and frames each text itself, for each recipient. Frames
 * that go together are sent one after the other, each once the one before is done. Every
 * container has this; {@link WebSocketPeers} prefers a faster way where it knows one.
 */
class WebSocketPeer implements Peer {
    private static final Logger LOG = Logger.getLogger(WebSocketPeer.class.getName());

    final Session session;
    private final RemoteEndpoint.Async remote;
    private final Meters.Writes writes;
    // the send in flight (there is one at a time, see Peer#send): the frames, the next one's index, whom to tell
    private volatile List<Frame> frames;
    private volatile int next;
    private volatile Consumer<Throwable> done;
    /** A send is in flight: set by {@link #send}, cleared before its {@code done} is told. */
    private boolean writing; // guarded by this
    /** One handler for every frame, so a delivery allocates nothing here. */
    private final SendHandler handler = result -> {
        if (!result.isOK()) {
            finished(result.getException());
        } else if (next < frames.size()) {
            try {
                sendNext();
            } catch (RuntimeException e) { // the session closed meanwhile
                finished(e);
            }
        } else {
            finished(null);
        }
    };

    WebSocketPeer(Session session, Meters.Writes writes) {
        this.session = session;
        this.remote = session.getAsyncRemote();
        this.writes = writes;
    }

    @Override
    public void send(List<Frame> frames, Consumer<Throwable> done) {
        this.done = done;
        this.frames = frames;
        this.next = 0;
        synchronized (this) {
            writing = true;
        }
        try {
            sendNext();
        } catch (RuntimeException e) {
            finishedWriting();
            throw e;
        }
    }

    private void finished(Throwable failure) {
        finishedWriting();
        done.accept(failure);
    }

    private synchronized void finishedWriting() {
        writing = false;
        notifyAll();
    }

    /** Waits until no send is in flight, for at most {@code millis}; true if none is. */
    synchronized boolean awaitNotWriting(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        for (long left = millis; writing && left > 0; left = (end - System.nanoTime()) / 1_000_000) {
            wait(left);
        }
        return !writing;
    }

    private void sendNext() {
        Frame frame = frames.get(next++);
        writes.wrote(1);
        remote.sendText(frame.text(), handler);
    }

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    public void close(CloseReason reason) {
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "close failed", e);
        }
    }
}
