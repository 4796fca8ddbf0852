package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The outbox against a fake peer whose sends complete when the test says. */
class OutboxTest {

    /** A peer that records what was sent and closed; sends complete inline or on {@link #complete}. */
    private static final class FakePeer implements Peer {
        final List<String> sent = new ArrayList<>();
        final ArrayDeque<Consumer<Throwable>> pending = new ArrayDeque<>();
        boolean inline;
        RuntimeException throwRuntime;
        Error throwError;
        CloseReason closed;
        int depth;
        int maxDepth;

        @Override
        public String transport() {
            return "fake";
        }

        @Override
        public void send(String frame, Consumer<Throwable> done) {
            if (throwError != null) {
                throw throwError;
            }
            if (throwRuntime != null) {
                throw throwRuntime;
            }
            sent.add(frame);
            if (inline) {
                depth++;
                maxDepth = Math.max(maxDepth, depth);
                done.accept(null);
                depth--;
            } else {
                pending.add(done);
            }
        }

        @Override
        public void close(CloseReason reason) {
            if (closed == null) {
                closed = reason;
            }
        }

        /** Completes the oldest pending send, as a container thread would. */
        void complete() {
            pending.remove().accept(null);
        }

        void fail() {
            pending.remove().accept(new IOException("broken pipe"));
        }
    }

    private final FakePeer fake = new FakePeer();

    @Test
    void framesGoOutOneAtATimeInOrder() {
        Outbox outbox = new Outbox(fake, 10, 1 << 20);
        for (int i = 1; i <= 3; i++) {
            assertTrue(outbox.offer("f" + i));
        }
        assertEquals(List.of("f1"), fake.sent, "one send in flight");
        fake.complete();
        fake.complete();
        assertEquals(List.of("f1", "f2", "f3"), fake.sent);
        fake.complete();
        assertTrue(fake.pending.isEmpty());
        assertTrue(outbox.offer("f4"));
        assertEquals("f4", fake.sent.get(3), "an idle outbox sends at once");
    }

    @Test
    void inlineCompletionsDoNotRecurse() {
        Outbox outbox = new Outbox(fake, 100_000, Long.MAX_VALUE);
        assertTrue(outbox.offer("first")); // stays in flight
        for (int i = 0; i < 50_000; i++) {
            assertTrue(outbox.offer("q" + i));
        }
        fake.inline = true;
        fake.complete();
        assertEquals(50_001, fake.sent.size());
        assertTrue(fake.maxDepth <= 1, "depth " + fake.maxDepth);
    }

    @Test
    void moreFramesThanTheQueueHoldsAreRefused() {
        Outbox outbox = new Outbox(fake, 2, 1 << 20);
        assertTrue(outbox.offer("in flight"));
        assertTrue(outbox.offer("q1"));
        assertTrue(outbox.offer("q2"));
        assertFalse(outbox.offer("q3"));
    }

    @Test
    void moreBytesThanTheBufferHoldsAreRefusedButOneLargeFrameIsTaken() {
        Outbox outbox = new Outbox(fake, 1000, 1000); // 500 chars' worth
        assertTrue(outbox.offer("in flight"));
        assertTrue(outbox.offer("x".repeat(2000)), "one frame is taken when nothing waits, however large");
        assertFalse(outbox.offer("y"), "then nothing more");

        FakePeer other = new FakePeer();
        Outbox small = new Outbox(other, 1000, 1000);
        assertTrue(small.offer("in flight"));
        assertTrue(small.offer("a".repeat(300)));
        assertTrue(small.offer("b".repeat(200)), "exactly 1000 bytes queued");
        assertFalse(small.offer("c"));
    }

    @Test
    void sentFramesFreeTheirBytes() {
        Outbox outbox = new Outbox(fake, 1000, 1000);
        assertTrue(outbox.offer("in flight"));
        for (int round = 0; round < 100; round++) {
            assertTrue(outbox.offer("a".repeat(200)));
            assertTrue(outbox.offer("b".repeat(200)));
            fake.complete();
            fake.complete();
        }
    }

    @Test
    void aSendThatThrowsAnErrorClosesThisConnectionAndLeavesNothingStuck() {
        Outbox outbox = new Outbox(fake, 10, 1 << 20);
        fake.throwError = new Error(new MalformedInputException(1));
        assertTrue(outbox.offer("poison"), "the offer itself never throws");
        assertEquals(CloseReasons.SERVER_ERROR, fake.closed);
        fake.throwError = null;
        assertTrue(outbox.offer("later"));
        assertTrue(fake.sent.isEmpty(), "a closed outbox sends nothing more");
    }

    @Test
    void aSendThatThrowsWhileOthersWaitClosesOnce() {
        Outbox outbox = new Outbox(fake, 10, 1 << 20);
        outbox.offer("one");
        outbox.offer("two");
        fake.throwRuntime = new IllegalStateException("closed");
        fake.complete(); // the next send ("two") throws
        assertEquals(CloseReasons.SERVER_ERROR, fake.closed);
        assertTrue(outbox.offer("three"));
        assertEquals(List.of("one"), fake.sent);
    }

    @Test
    void aFailedSendClosesTheConnection() {
        Outbox outbox = new Outbox(fake, 10, 1 << 20);
        outbox.offer("one");
        outbox.offer("two");
        fake.fail();
        assertEquals(CloseReasons.SERVER_ERROR, fake.closed);
        assertEquals(List.of("one"), fake.sent, "what was queued behind it is dropped");
    }

    @Test
    void closeWhenDrainedSendsWhatWaitsThenCloses() {
        Outbox outbox = new Outbox(fake, 10, 1 << 20);
        outbox.offer("one");
        outbox.offer("two");
        outbox.closeWhenDrained(CloseReasons.SHUTTING_DOWN);
        assertTrue(outbox.offer("dropped"));
        fake.complete();
        assertNull(fake.closed);
        fake.complete();
        assertEquals(CloseReasons.SHUTTING_DOWN, fake.closed);
        assertEquals(List.of("one", "two"), fake.sent);
    }
}
