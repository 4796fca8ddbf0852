package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.HttpWire.EventStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/**
 * The HTTP transport's reading of the event stream format (the HTML standard's), alone: the
 * parser fed lines, and fed bytes through the JDK's line splitter as the wire reads them.
 */
class HttpWireEventStreamTest {
    private static final int MAX = EventStream.MAX_EVENT_CHARS;

    /** An event as the parser dispatched it. */
    private record Event(String type, String data) {
    }

    private final List<Event> events = new ArrayList<>();
    private final EventStream parser = new EventStream((type, data) -> events.add(new Event(type, data)));

    private void lines(String... lines) {
        for (String line : lines) {
            assertTrue(parser.line(line), line);
        }
    }

    @Test
    void dataLinesAreJoinedWithLineFeedsAndABlankLineDispatches() {
        lines("data: one", "data: two", "data: three");
        assertEquals(List.of(), events, "nothing before the blank line");
        lines("");
        assertEquals(List.of(new Event("message", "one\ntwo\nthree")), events);
    }

    @Test
    void theEventFieldNamesTheTypeOfThatEventOnly() {
        lines("event: connection", "data: {\"id\":\"x\"}", "", "data: {\"type\":\"pong\"}", "");
        assertEquals(List.of(new Event("connection", "{\"id\":\"x\"}"), new Event("message", "{\"type\":\"pong\"}")), events);
    }

    @Test
    void commentsIdRetryAndUnknownFieldsAreIgnored() {
        lines(":", ": heartbeat", "retry: 2000", "id: 17", "whatever: else", "data: x", ":after", "");
        assertEquals(List.of(new Event("message", "x")), events);
    }

    @Test
    void aFieldWithoutAColonHasAnEmptyValue() {
        lines("data", "");
        lines("event: close", "event", "data: y", "");
        assertEquals(List.of(new Event("message", ""), new Event("message", "y")), events);
    }

    @Test
    void onlyOneSpaceAfterTheColonIsRemoved() {
        lines("data:x", "data:  two spaces", "data:\ttab", "data: ", "");
        assertEquals(List.of(new Event("message", "x\n two spaces\n\ttab\n")), events);
    }

    @Test
    void anEventWithoutDataIsNotDispatched() {
        lines("event: close", "", "", "id: 3", "");
        assertEquals(List.of(), events);
        lines("data: later", "");
        assertEquals(List.of(new Event("message", "later")), events, "the unsent event's type is forgotten");
    }

    @Test
    void aByteOrderMarkOpeningTheStreamIsDropped() {
        lines("\uFEFFdata: a", "", "\uFEFFdata: b", "");
        assertEquals(List.of(new Event("message", "a")), events, "a BOM later makes a field of another name");
    }

    @Test
    void anEventOfExactlyTheBoundIsDispatched() {
        String half = "x".repeat(MAX / 2);
        lines("data: " + half, "data: " + half.substring(1), "");
        assertEquals(MAX, events.get(0).data().length());
    }

    @Test
    void anEventOverTheBoundFailsTheStream() {
        String half = "x".repeat(MAX / 2);
        lines("data: " + half);
        assertFalse(parser.line("data: " + half), "one character over, with the line feed between");
        assertEquals(List.of(), events);
    }

    @Test
    void anyLineOverTheBoundFailsTheStream() {
        assertFalse(new EventStream((type, data) -> { }).line(":" + "x".repeat(MAX)));
        assertFalse(new EventStream((type, data) -> { }).line("data:" + "x".repeat(MAX)));
    }

    // ---- through the JDK's line splitter, as the wire reads the stream ----

    /** What a line reader heard: its lines, and how the stream ended. */
    private static final class Reader implements Flow.Subscriber<String> {
        final List<String> lines = new ArrayList<>();
        Throwable failure;
        boolean complete;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE); // the test feeds all it has at once
        }

        @Override
        public void onNext(String line) {
            lines.add(line);
        }

        @Override
        public void onError(Throwable throwable) {
            failure = throwable;
        }

        @Override
        public void onComplete() {
            complete = true;
        }
    }

    /** A publisher's side of the body: counts what was asked, notes a cancel. */
    private static final class Upstream implements Flow.Subscription {
        boolean cancelled;

        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    /** The events of {@code text}, sent as bytes cut at {@code cuts}, read as the wire reads them. */
    private static List<Event> read(String text, int... cuts) {
        List<Event> events = new ArrayList<>();
        EventStream parser = new EventStream((type, data) -> events.add(new Event(type, data)));
        Reader reader = new Reader();
        HttpWire.Lines lines = new HttpWire.Lines(reader);
        lines.onSubscribe(new Upstream());
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        for (int cut : cuts) {
            lines.onNext(List.of(ByteBuffer.wrap(bytes, from, cut - from).slice()));
            from = cut;
        }
        lines.onNext(List.of(ByteBuffer.wrap(bytes, from, bytes.length - from).slice()));
        lines.onComplete();
        assertTrue(reader.complete, "the stream ended");
        reader.lines.forEach(line -> assertTrue(parser.line(line), line));
        return events;
    }

    private static final String EVENTS = "retry: 2000\nevent: connection\ndata: {\"id\":\"a.b\"}\n\n"
            + ":\n\ndata: caf\u00e9 \uD83D\uDE00\ndata: two\n\nevent: close\ndata: {\"code\":1000}\n\n";
    private static final List<Event> EXPECTED = List.of(new Event("connection", "{\"id\":\"a.b\"}"),
            new Event("message", "caf\u00e9 \uD83D\uDE00\ntwo"), new Event("close", "{\"code\":1000}"));

    @Test
    void linesEndInLfCrlfOrCr() {
        assertEquals(EXPECTED, read(EVENTS));
        assertEquals(EXPECTED, read(EVENTS.replace("\n", "\r\n")));
        assertEquals(EXPECTED, read(EVENTS.replace("\n", "\r")));
        assertEquals(List.of(new Event("message", "a\nb\nc")), read("data: a\r\ndata: b\rdata: c\n\r\n"));
    }

    @Test
    void whereverTheBytesAreCutTheEventsAreTheSame() {
        for (String breaks : List.of("\n", "\r\n", "\r")) {
            String text = EVENTS.replace("\n", breaks);
            int length = text.getBytes(StandardCharsets.UTF_8).length;
            for (int cut = 1; cut < length; cut++) {
                assertEquals(EXPECTED, read(text, cut), "cut at " + cut + " with " + breaks.replace("\r", "CR").replace("\n", "LF"));
            }
        }
    }

    @Test
    void aCrlfCutBetweenTwoReadsIsOneLineBreak() {
        assertEquals(List.of(new Event("message", "a\nb")), read("data: a\r\ndata: b\r\n\r\n", 8));
    }

    @Test
    void anEventNotEndedByABlankLineWhenTheStreamEndsIsDropped() {
        assertEquals(List.of(new Event("message", "a")), read("data: a\n\ndata: b\n"));
    }

    @Test
    void bytesWithoutALineBreakOverTheBoundFailTheStreamAndStopReadingIt() {
        Reader reader = new Reader();
        Upstream upstream = new Upstream();
        HttpWire.Lines lines = new HttpWire.Lines(reader);
        lines.onSubscribe(upstream);
        byte[] chunk = "x".repeat(512 * 1024).getBytes(StandardCharsets.US_ASCII);
        lines.onNext(List.of(ByteBuffer.wrap("data: a\n".getBytes(StandardCharsets.US_ASCII))));
        for (long sent = 0; sent <= HttpWire.MAX_LINE_BYTES && reader.failure == null; sent += chunk.length) {
            lines.onNext(List.of(ByteBuffer.wrap(chunk)));
        }
        assertEquals(List.of("data: a"), reader.lines);
        assertInstanceOf(IOException.class, reader.failure);
        assertTrue(upstream.cancelled, "the body is not read further");
        lines.onComplete();
        assertFalse(reader.complete, "one end only");
    }

    @Test
    void aLongLineThatEndsIsNotStoppedByTheByteBound() {
        String line = "data: " + "\u20ac".repeat(MAX - 10); // 3 bytes a character: all but the bound
        Reader reader = new Reader();
        HttpWire.Lines lines = new HttpWire.Lines(reader);
        lines.onSubscribe(new Upstream());
        byte[] bytes = (line + "\n\n").getBytes(StandardCharsets.UTF_8);
        for (int from = 0; from < bytes.length; from += 16 * 1024) {
            lines.onNext(List.of(ByteBuffer.wrap(bytes, from, Math.min(16 * 1024, bytes.length - from)).slice()));
        }
        lines.onComplete();
        assertEquals(List.of(line, ""), reader.lines);
        assertTrue(reader.complete);
    }
}
