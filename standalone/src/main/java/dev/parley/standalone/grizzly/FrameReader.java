package dev.parley.standalone.grizzly;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.glassfish.grizzly.Buffer;

/**
 * A client's WebSocket frames (RFC 6455 section 5), read from its bytes in whatever chunks
 * they arrive, for {@link WebSocketConnection}. Messages come out whole: a text message as
 * its string, a binary one as its length alone (Parley refuses binary frames, so their
 * bytes are counted, never kept), and the control frames as they come, between the
 * fragments of a message if the client sends them there.
 *
 * <p>Refused, and nothing more read afterwards: with {@link Violation#TOO_BIG} a data frame
 * that would take its message over the limit, at the frame's header, before any of its
 * payload is read; with {@link Violation#NOT_UTF8} a text message or a close reason that
 * is not UTF-8; with {@link Violation#PROTOCOL_ERROR} everything else section 5 forbids: an
 * unmasked frame (5.1), a reserved bit set (no extension is negotiated), an unknown opcode,
 * a length with its top bit set, a control frame that is fragmented or over 125 bytes
 * (5.5), a continuation with no message under way or a new message before the last one
 * ended (5.4), a close frame of one byte or with a code a client may not send (7.4).
 *
 * <p>What it holds between reads: the header under way (a few fields), and the text message
 * under way, exactly as long as its frames announced; nothing at all between messages.
 * One reader per connection, called on one thread at a time.
 */
final class FrameReader {
    enum Violation { TOO_BIG, PROTOCOL_ERROR, NOT_UTF8 }

    /** Where the messages go. */
    interface Messages {
        void text(String message);

        void binary(long length);

        void ping(byte[] payload);

        void pong();

        /** A close frame: its code (1005 when it had none) and its reason. After it nothing is read. */
        void close(int code, String reason);
    }

    /** RFC 6455 7.1.5: a close frame without a code. */
    static final int NO_CODE = 1005;

    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private final long maxMessageBytes;
    private final Messages messages;

    // the header under way
    private int headerRead; // its bytes read so far; 0 at a frame's start and in its payload
    private boolean fin;
    private int opcode;
    private int extendedLength; // bytes of extended payload length: 0, 2 or 8
    private long length;
    private final byte[] mask = new byte[4];

    // the payload under way
    private boolean inPayload;
    private long payloadLeft;
    private int payloadRead; // of this frame: where the mask stands
    private byte[] control; // a control frame's payload

    // the data message under way
    private int messageType; // TEXT or BINARY while one is under way, else 0
    private byte[] text; // a text message's payload so far, unmasked
    private long messageLength;

    private Violation violation;
    private boolean closed;

    FrameReader(long maxMessageBytes, Messages messages) {
        this.maxMessageBytes = maxMessageBytes;
        this.messages = messages;
    }

    /**
     * Reads {@code chunk} from its position to its limit (consuming it), handing over every
     * message it completes.
     *
     * @return what was wrong, once something is (then ever after, and nothing more is
     *         read); null while all is well
     */
    Violation read(Buffer chunk) {
        while (violation == null && !closed && chunk.hasRemaining()) {
            if (inPayload) {
                payload(chunk);
            } else {
                violation = header(chunk.get() & 0xff);
            }
        }
        return violation;
    }

    /** Whether a close frame was read: the client says no more. */
    boolean closed() {
        return closed;
    }

    private Violation header(int b) {
        headerRead++;
        if (headerRead == 1) {
            fin = (b & 0x80) != 0;
            opcode = b & 0x0f;
            boolean known = opcode <= BINARY || opcode >= CLOSE && opcode <= PONG;
            return (b & 0x70) != 0 || !known ? Violation.PROTOCOL_ERROR : null;
        }
        if (headerRead == 2) {
            if ((b & 0x80) == 0) {
                return Violation.PROTOCOL_ERROR; // a client masks every frame
            }
            int length7 = b & 0x7f;
            extendedLength = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
            length = extendedLength == 0 ? length7 : 0;
            return null;
        }
        int lengthEnd = 2 + extendedLength;
        if (headerRead <= lengthEnd) {
            length = length << 8 | b;
            return null;
        }
        mask[headerRead - lengthEnd - 1] = (byte) b;
        if (headerRead < lengthEnd + mask.length) {
            return null;
        }
        headerRead = 0;
        Violation refused = start();
        if (refused == null && length == 0) {
            return end();
        }
        return refused;
    }

    /** The header is whole: refuse the frame, or make room for its payload. */
    private Violation start() {
        if (length < 0) {
            return Violation.PROTOCOL_ERROR;
        }
        inPayload = length > 0;
        payloadLeft = length;
        payloadRead = 0;
        if ((opcode & 0x8) != 0) {
            if (length > 125 || !fin) {
                return Violation.PROTOCOL_ERROR;
            }
            control = new byte[(int) length];
            return null;
        }
        if ((opcode == CONTINUATION) != (messageType != 0)) {
            return Violation.PROTOCOL_ERROR; // a continuation of nothing, or a message inside another
        }
        if (length > maxMessageBytes - messageLength) {
            return Violation.TOO_BIG;
        }
        if (opcode != CONTINUATION) {
            messageType = opcode;
        }
        if (messageType == TEXT && length > 0) {
            int size = (int) (messageLength + length);
            text = text == null ? new byte[size] : Arrays.copyOf(text, size);
        }
        return null;
    }

    private void payload(Buffer chunk) {
        int n = (int) Math.min(payloadLeft, chunk.remaining());
        if (control != null) {
            unmask(chunk, control, payloadRead, n);
        } else if (messageType == TEXT) {
            unmask(chunk, text, (int) messageLength, n);
        } else {
            chunk.position(chunk.position() + n); // binary: counted, not kept
        }
        if (control == null) {
            messageLength += n;
        }
        payloadRead += n;
        payloadLeft -= n;
        if (payloadLeft == 0) {
            inPayload = false;
            violation = end();
        }
    }

    private void unmask(Buffer chunk, byte[] into, int at, int n) {
        chunk.get(into, at, n);
        int phase = payloadRead;
        for (int i = 0; i < n; i++) {
            into[at + i] ^= mask[(phase + i) & 3];
        }
    }

    /** A frame is whole. */
    private Violation end() {
        if ((opcode & 0x8) != 0) {
            byte[] payload = control;
            control = null;
            return switch (opcode) {
                case PING -> {
                    messages.ping(payload);
                    yield null;
                }
                case PONG -> {
                    messages.pong();
                    yield null;
                }
                default -> close(payload);
            };
        }
        if (!fin) {
            return null;
        }
        int type = messageType;
        byte[] payload = text;
        int size = (int) messageLength;
        messageType = 0;
        text = null;
        messageLength = 0;
        if (type == BINARY) {
            messages.binary(size);
            return null;
        }
        String message = utf8(payload, size);
        if (message == null) {
            return Violation.NOT_UTF8;
        }
        messages.text(message);
        return null;
    }

    private Violation close(byte[] payload) {
        if (payload.length == 1) {
            return Violation.PROTOCOL_ERROR;
        }
        int code = payload.length == 0 ? NO_CODE : (payload[0] & 0xff) << 8 | payload[1] & 0xff;
        if (payload.length > 0 && !sendable(code)) {
            return Violation.PROTOCOL_ERROR;
        }
        String reason = payload.length <= 2 ? "" : utf8(Arrays.copyOfRange(payload, 2, payload.length), payload.length - 2);
        if (reason == null) {
            return Violation.NOT_UTF8;
        }
        closed = true;
        messages.close(code, reason);
        return null;
    }

    /**
     * A code a client may put in a close frame (RFC 6455 7.4): the defined ones but those
     * never sent (1004-1006, 1015) and those only a server sends (1012-1014, as Tyrus
     * judged), and the ranges for libraries and applications.
     */
    static boolean sendable(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1011 || code >= 3000 && code <= 4999;
    }

    /** The UTF-8 text of {@code bytes}' first {@code size}, or null if they are not UTF-8. */
    static String utf8(byte[] bytes, int size) {
        if (size == 0) {
            return "";
        }
        String text = new String(bytes, 0, size, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text; // nothing was replaced: it was UTF-8
        }
        try { // a replacement character: one that was sent, or one for bytes that were not UTF-8
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, size)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
