package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderedStreamTest {
    private final List<Long> delivered = new ArrayList<>();
    private final OrderedStream.Delivery delivery = (seq, frame) -> {
        assertEquals("f" + seq, frame);
        delivered.add(seq);
    };

    private static List<OrderedStream.Filled> found(long... seqs) {
        List<OrderedStream.Filled> found = new ArrayList<>();
        for (long seq : seqs) {
            found.add(new OrderedStream.Filled(seq, "f" + seq));
        }
        return found;
    }

    private void offer(OrderedStream stream, long... seqs) {
        for (long seq : seqs) {
            stream.offer(seq, "f" + seq, delivery);
        }
    }

    @Test
    void inOrderGoesOutAtOnce() {
        OrderedStream stream = new OrderedStream(100, 1 << 20);
        stream.start(10, delivery);
        offer(stream, 11, 12, 13);
        assertEquals(List.of(11L, 12L, 13L), delivered);
        assertFalse(stream.hasGap());
        assertEquals(13, stream.position());
    }

    @Test
    void anEarlyMessageWaitsForTheOneBeforeIt() {
        OrderedStream stream = new OrderedStream(100, 1 << 20);
        stream.start(0, delivery);
        offer(stream, 2, 4, 3);
        assertEquals(List.of(), delivered);
        assertTrue(stream.hasGap());
        offer(stream, 1);
        assertEquals(List.of(1L, 2L, 3L, 4L), delivered);
        assertFalse(stream.hasGap());
    }

    @Test
    void duplicatesAreDropped() {
        OrderedStream stream = new OrderedStream(100, 1 << 20);
        stream.start(0, delivery);
        offer(stream, 1, 1, 3, 3, 2, 2, 1);
        assertEquals(List.of(1L, 2L, 3L), delivered);
    }

    @Test
    void whatArrivesBeforeTheStartIsHeldAndWhatTheStartCoversDropped() {
        OrderedStream stream = new OrderedStream(100, 1 << 20);
        offer(stream, 5, 6, 8);
        assertFalse(stream.hasGap(), "no gap before the start");
        stream.start(5, delivery);
        assertEquals(List.of(6L), delivered);
        assertTrue(stream.hasGap(), "7 is missing");
    }

    @Test
    void aGapIsReadUpToTheFirstHeldAndAFillClosesIt() {
        OrderedStream stream = new OrderedStream(100, 1 << 20);
        stream.start(3, delivery);
        offer(stream, 7, 8);
        OrderedStream.Gap gap = stream.gap();
        assertEquals(new OrderedStream.Gap(3, 7, 0), gap);
        stream.fill(gap, found(4, 5, 6, 7, 8), 500, delivery);
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L), delivered);
        assertFalse(stream.hasGap());
    }

    @Test
    void seqsAFillDoesNotFindWereTrimmedAndTheStreamGoesOn() {
        OrderedStream stream = new OrderedStream(100, 1 << 20);
        stream.start(3, delivery);
        offer(stream, 9);
        OrderedStream.Gap gap = stream.gap();
        stream.fill(gap, found(7, 8, 9), 500, delivery); // the store has kept only these
        assertEquals(List.of(7L, 8L, 9L), delivered);
        assertFalse(stream.hasGap());
    }

    @Test
    void aFullPageSkipsNothing() {
        OrderedStream stream = new OrderedStream(100, 1 << 20);
        stream.start(0, delivery);
        offer(stream, 10);
        OrderedStream.Gap gap = stream.gap();
        stream.fill(gap, found(1, 2), 2, delivery); // a page of two: there may be more
        assertEquals(List.of(1L, 2L), delivered);
        assertTrue(stream.hasGap());
        assertEquals(new OrderedStream.Gap(2, 10, 0), stream.gap());
    }

    @Test
    void aMessageNewerThanTheGapIsNotSkippedOver() {
        OrderedStream stream = new OrderedStream(100, 1 << 20);
        stream.start(0, delivery);
        offer(stream, 3);
        OrderedStream.Gap gap = stream.gap(); // reads 1..2
        offer(stream, 6); // came while the fill read: 4 and 5 may be committed after the read
        stream.fill(gap, found(1, 2, 3), 500, delivery);
        assertEquals(List.of(1L, 2L, 3L), delivered);
        assertTrue(stream.hasGap(), "4 and 5 are still to be read");
        assertEquals(new OrderedStream.Gap(3, 6, 0), stream.gap());
    }

    @Test
    void pastItsBoundItDropsAndAFillBringsThemBack() {
        OrderedStream stream = new OrderedStream(2, 1 << 20);
        stream.start(0, delivery);
        offer(stream, 2, 3, 4, 5);
        OrderedStream.Gap gap = stream.gap();
        assertEquals(new OrderedStream.Gap(0, 2, 2), gap, "two held, two dropped");
        offer(stream, 6, 1); // 6 is dropped too, after the gap was taken
        assertEquals(List.of(1L, 2L, 3L), delivered);
        stream.fill(gap, found(1, 2, 3, 4, 5), 500, delivery);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), delivered);
        assertTrue(stream.hasGap(), "6 was dropped after the fill read");
        OrderedStream.Gap rest = stream.gap();
        assertEquals(new OrderedStream.Gap(5, Long.MAX_VALUE, 3), rest);
        stream.fill(rest, found(6), 500, delivery);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), delivered);
        assertFalse(stream.hasGap());
    }

    @Test
    void aMessageThatWasNeverOfferedIsAGapThatAFillCloses() {
        OrderedStream stream = new OrderedStream(100, 1 << 20);
        stream.start(0, delivery);
        offer(stream, 1);
        stream.missed(); // 2 was committed, but its room's backlog was full
        assertTrue(stream.hasGap());
        OrderedStream.Gap gap = stream.gap();
        assertEquals(new OrderedStream.Gap(1, Long.MAX_VALUE, 1), gap);
        stream.fill(gap, found(2), 500, delivery);
        assertEquals(List.of(1L, 2L), delivered);
        assertFalse(stream.hasGap());
    }

    @Test
    void theBoundCountsBytesToo() {
        OrderedStream stream = new OrderedStream(100, 2 * 3); // three chars: one frame "f2"
        stream.start(0, delivery);
        offer(stream, 2, 3);
        assertEquals(new OrderedStream.Gap(0, 2, 1), stream.gap());
    }

    @Test
    void aRestartBeginsAgainAtTheGivenSeq() {
        OrderedStream stream = new OrderedStream(100, 1 << 20);
        stream.start(40, delivery);
        offer(stream, 42);
        stream.restart(1, "f1", delivery);
        offer(stream, 2);
        assertEquals(List.of(1L, 2L), delivered);
        assertFalse(stream.hasGap());
    }
}
