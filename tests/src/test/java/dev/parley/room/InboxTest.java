package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** {@link Inbox}: frames behind one that waits, in order, bounded in frames and bytes. */
class InboxTest {

    @Test
    void framesAreAnsweredAtOnceWhileNothingWaits() {
        Inbox inbox = new Inbox(10, 1024);
        assertEquals(Inbox.Taken.NOW, inbox.offer("{}", RateLimit.Verdict.ACCEPT));
        assertEquals(Inbox.Taken.NOW, inbox.offer("{}", RateLimit.Verdict.ACCEPT));
    }

    @Test
    void framesThatComeWhileOneIsAnsweredQueueInOrderUntilNoneIsLeft() {
        Inbox inbox = new Inbox(10, 1024);
        inbox.answering();
        assertEquals(Inbox.Taken.QUEUED, inbox.offer("a", RateLimit.Verdict.ACCEPT));
        assertEquals(Inbox.Taken.QUEUED, inbox.offer("b", RateLimit.Verdict.REFUSE));
        assertEquals(new Inbox.Waiting("a", RateLimit.Verdict.ACCEPT), inbox.next());
        assertEquals(new Inbox.Waiting("b", RateLimit.Verdict.REFUSE), inbox.next());
        assertNull(inbox.next());
        assertEquals(Inbox.Taken.NOW, inbox.offer("c", RateLimit.Verdict.ACCEPT), "answered as they come again");
    }

    @Test
    void theQueueIsBoundedInFrames() {
        Inbox inbox = new Inbox(2, 1024);
        inbox.answering();
        inbox.offer("a", RateLimit.Verdict.ACCEPT);
        inbox.offer("b", RateLimit.Verdict.ACCEPT);
        assertEquals(Inbox.Taken.FULL, inbox.offer("c", RateLimit.Verdict.ACCEPT));
    }

    @Test
    void theQueueIsBoundedInBytesAndAFrameTakenOutMakesRoom() {
        Inbox inbox = new Inbox(100, 20); // two bytes a char
        inbox.answering();
        assertEquals(Inbox.Taken.QUEUED, inbox.offer("12345", RateLimit.Verdict.ACCEPT));
        assertEquals(Inbox.Taken.QUEUED, inbox.offer("12345", RateLimit.Verdict.ACCEPT));
        assertEquals(Inbox.Taken.FULL, inbox.offer("1", RateLimit.Verdict.ACCEPT));
        inbox.next();
        assertEquals(Inbox.Taken.QUEUED, inbox.offer("1", RateLimit.Verdict.ACCEPT));
    }
}
