package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.Frame;
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
        final List<List<String>> sends = new ArrayList<>(); // what each send carried
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
        public void send(List<Frame> frames, Consumer<Throwable> done) {
            if (throwError != null) {
                throw throwError;
            }
            if (throwRuntime != null) {
                throw throwRuntime;
            }
            List<String> texts = frames.stream().map(Frame::text).toList();
            sends.add(texts);
            sent.addAll(texts);
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

    private static boolean offer(Outbox outbox, String text) {
        return outbox.offer(Frame.of(text));
    }

    @Test
    void oneSendInFlightAndWhatQueuedBehindItGoesOutTogetherInOrder() {
        Outbox outbox = new Outbox(fake, 10, 1 << 20);
        for (int i = 1; i <= 3; i++) {
            assertTrue(offer(outbox, "f" + i));
        }
        assertEquals(List.of(List.of("f1")), fake.sends, "one send in flight");
        fake.complete();
        assertEquals(List.of(List.of("f1"), List.of("f2", "f3")), fake.sends, "the queued ones in one send");
        fake.complete();
        assertTrue(fake.pending.isEmpty());
        assertTrue(offer(outbox, "f4"));
        assertEquals(List.of("f4"), fake.sends.get(2), "an idle outbox sends at once");
    }

    @Test
    void aSendCarriesAtMostABatchOfFramesAndBytesButAlwaysOneFrame() {
        Outbox outbox = new Outbox(fake, 1000, 1 << 30);
        assertTrue(offer(outbox, "in flight"));
        for (int i = 0; i < Outbox.BATCH_FRAMES + 10; i++) {
            assertTrue(offer(outbox, "s" + i));
        }
        String big = "b".repeat((int) (Outbox.BATCH_BYTES / 2)); // the batch's bytes exactly, two per char
        String half = "h".repeat((int) (Outbox.BATCH_BYTES / 4));
        assertTrue(offer(outbox, big));
        assertTrue(offer(outbox, half));
        assertTrue(offer(outbox, half));
        assertTrue(offer(outbox, half));
        String huge = "x".repeat((int) Outbox.BATCH_BYTES);
        assertTrue(offer(outbox, huge));
        while (!fake.pending.isEmpty()) {
            fake.complete();
        }
        List<Integer> sizes = fake.sends.stream().map(List::size).toList();
        assertEquals(List.of(1, Outbox.BATCH_FRAMES, 10, 1, 2, 1, 1), sizes, "frames per send");
        assertEquals(big, fake.sends.get(3).get(0));
        assertEquals(List.of(half, half), fake.sends.get(4));
        assertEquals(List.of(huge), fake.sends.get(6), "a frame larger than a batch still goes, alone");
        List<String> expected = new ArrayList<>(List.of("in flight"));
        for (int i = 0; i < Outbox.BATCH_FRAMES + 10; i++) {
            expected.add("s" + i);
        }
        expected.addAll(List.of(big, half, half, half, huge));
        assertEquals(expected, fake.sent, "in the order offered");
    }

    @Test
    void inlineCompletionsDoNotRecurse() {
        Outbox outbox = new Outbox(fake, 100_000, Long.MAX_VALUE);
        assertTrue(offer(outbox, "first")); // stays in flight
        for (int i = 0; i < 50_000; i++) {
            assertTrue(offer(outbox, "q" + i));
        }
        fake.inline = true;
        fake.complete();
        assertEquals(50_001, fake.sent.size());
        assertEquals(1 + (50_000 + Outbox.BATCH_FRAMES - 1) / Outbox.BATCH_FRAMES, fake.sends.size());
        assertTrue(fake.maxDepth <= 1, "depth " + fake.maxDepth);
    }

    @Test
    void moreFramesThanTheQueueHoldsAreRefused() {
        Outbox outbox = new Outbox(fake, 2, 1 << 20);
        assertTrue(offer(outbox, "in flight"));
        assertTrue(offer(outbox, "q1"));
        assertTrue(offer(outbox, "q2"));
        assertFalse(offer(outbox, "q3"));
    }

    @Test
    void moreBytesThanTheBufferHoldsAreRefusedButOneLargeFrameIsTaken() {
        Outbox outbox = new Outbox(fake, 1000, 1000); // 500 chars' worth
        assertTrue(offer(outbox, "in flight"));
        assertTrue(offer(outbox, "x".repeat(2000)), "one frame is taken when nothing waits, however large");
        assertFalse(offer(outbox, "y"), "then nothing more");

        FakePeer other = new FakePeer();
        Outbox small = new Outbox(other, 1000, 1000);
        assertTrue(offer(small, "in flight"));
        assertTrue(offer(small, "a".repeat(300)));
        assertTrue(offer(small, "b".repeat(200)), "exactly 1000 bytes queued");
        assertFalse(offer(small, "c"));
    }

    @Test
    void sentFramesFreeTheirBytes() {
        Outbox outbox = new Outbox(fake, 1000, 1000);
        assertTrue(offer(outbox, "in flight"));
        for (int round = 0; round < 100; round++) {
            assertTrue(offer(outbox, "a".repeat(200)));
            assertTrue(offer(outbox, "b".repeat(200)));
            fake.complete(); // the send before; these two go out together
        }
        assertEquals(101, fake.sends.size());
    }

    @Test
    void aSendThatThrowsAnErrorClosesThisConnectionAndLeavesNothingStuck() {
        Outbox outbox = new Outbox(fake, 10, 1 << 20);
        fake.throwError = new Error(new MalformedInputException(1));
        assertTrue(offer(outbox, "poison"), "the offer itself never throws");
        assertEquals(CloseReasons.SERVER_ERROR, fake.closed);
        fake.throwError = null;
        assertTrue(offer(outbox, "later"));
        assertTrue(fake.sent.isEmpty(), "a closed outbox sends nothing more");
    }

    @Test
    void aSendThatThrowsWhileOthersWaitClosesOnce() {
        Outbox outbox = new Outbox(fake, 10, 1 << 20);
        offer(outbox, "one");
        offer(outbox, "two");
        fake.throwRuntime = new IllegalStateException("closed");
        fake.complete(); // the next send ("two") throws
        assertEquals(CloseReasons.SERVER_ERROR, fake.closed);
        assertTrue(offer(outbox, "three"));
        assertEquals(List.of("one"), fake.sent);
    }

    @Test
    void aFailedSendClosesTheConnection() {
        Outbox outbox = new Outbox(fake, 10, 1 << 20);
        offer(outbox, "one");
        offer(outbox, "two");
        fake.fail();
        assertEquals(CloseReasons.SERVER_ERROR, fake.closed);
        assertEquals(List.of("one"), fake.sent, "what was queued behind it is dropped");
    }

    @Test
    void closeWhenDrainedSendsWhatWaitsThenCloses() {
        Outbox outbox = new Outbox(fake, 10, 1 << 20);
        offer(outbox, "one");
        offer(outbox, "two");
        outbox.closeWhenDrained(CloseReasons.SHUTTING_DOWN);
        assertTrue(offer(outbox, "dropped"));
        fake.complete();
        assertNull(fake.closed);
        fake.complete();
        assertEquals(CloseReasons.SHUTTING_DOWN, fake.closed);
        assertEquals(List.of("one", "two"), fake.sent);
    }

    @Test
    void aLastWordGoesOutAfterWhatWaitsAndBeforeTheClose() {
        Outbox outbox = new Outbox(fake, 2, 1 << 20);
        offer(outbox, "one");
        offer(outbox, "two");
        offer(outbox, "three"); // the queue is full: the last word goes beyond its bounds
        outbox.closeWhenDrained(CloseReasons.SHUTTING_DOWN, Frame.of("hint"));
        assertTrue(offer(outbox, "dropped"));
        fake.complete();
        fake.complete();
        assertNull(fake.closed, "the last word is in flight");
        fake.complete();
        assertEquals(CloseReasons.SHUTTING_DOWN, fake.closed);
        assertEquals(List.of("one", "two", "three", "hint"), fake.sent);
    }

    @Test
    void aLastWordOnAnIdleOutboxGoesOutAtOnceAndTheCloseFollowsItsSend() {
        Outbox outbox = new Outbox(fake, 10, 1 << 20);
        outbox.closeWhenDrained(CloseReasons.SHUTTING_DOWN, Frame.of("hint"));
        assertEquals(List.of("hint"), fake.sent);
        assertNull(fake.closed);
        fake.complete();
        assertEquals(CloseReasons.SHUTTING_DOWN, fake.closed);
    }

    @Test
    void closeNowWithALastWordDropsWhatWaitsButNotTheLastWord() {
        Outbox outbox = new Outbox(fake, 10, 1 << 20);
        offer(outbox, "one");
        offer(outbox, "two");
        outbox.closeNow(CloseReasons.SHUTTING_DOWN, Frame.of("hint"));
        assertNull(fake.closed, "the send in flight completes first");
        fake.complete();
        assertNull(fake.closed, "then the last word goes");
        fake.complete();
        assertEquals(CloseReasons.SHUTTING_DOWN, fake.closed);
        assertEquals(List.of("one", "hint"), fake.sent, "what was queued is dropped");
    }

    @Test
    void closeNowWithALastWordOnANewConnectionSendsItThenCloses() {
        fake.inline = true; // as Tyrus completes a send the socket took at once
        Outbox outbox = new Outbox(fake, 10, 1 << 20);
        outbox.closeNow(CloseReasons.TRY_AGAIN_LATER, Frame.of("hint"));
        assertEquals(List.of("hint"), fake.sent);
        assertEquals(CloseReasons.TRY_AGAIN_LATER, fake.closed);
    }

    @Test
    void closeNowWithALastWordWhileClosingKeepsThatCloseAndSendsNoSecondLastWord() {
        Outbox outbox = new Outbox(fake, 10, 1 << 20);
        outbox.closeWhenDrained(CloseReasons.SHUTTING_DOWN, Frame.of("hint"));
        outbox.closeNow(CloseReasons.SHUTTING_DOWN, Frame.of("another hint"));
        fake.complete();
        assertEquals(CloseReasons.SHUTTING_DOWN, fake.closed);
        assertEquals(List.of("hint"), fake.sent);
    }

    @Test
    void anOutboxThatOverflowedClosesAtOnceWithoutItsLastWord() {
        Outbox outbox = new Outbox(fake, 1, 1 << 20);
        offer(outbox, "one");
        offer(outbox, "two");
        assertFalse(offer(outbox, "three"));
        outbox.closeNow(CloseReasons.SHUTTING_DOWN, Frame.of("hint"));
        assertEquals(CloseReasons.SHUTTING_DOWN, fake.closed);
        assertEquals(List.of("one"), fake.sent);
    }

    @Test
    void aFailedSendDropsTheLastWord() {
        Outbox outbox = new Outbox(fake, 10, 1 << 20);
        offer(outbox, "one");
        outbox.closeWhenDrained(CloseReasons.SHUTTING_DOWN, Frame.of("hint"));
        fake.fail();
        assertEquals(CloseReasons.SHUTTING_DOWN, fake.closed);
        assertEquals(List.of("one"), fake.sent);
    }
}
