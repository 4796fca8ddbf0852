package dev.parley.standalone.grizzly;

import dev.parley.room.CloseReasons;
import dev.parley.standalone.grizzly.FrameHeaderReader.Violation;
import jakarta.websocket.CloseReason;
import java.util.function.Consumer;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.memory.Buffers;

/**
 * Judges a chat connection's frames by their headers before Tyrus sees them, so that no
 * payload over PARLEY_MAX_FRAME is ever buffered: on a violation (see
 * {@link FrameHeaderReader}) it writes a close frame, 1009 "frame too big" or 1002
 * "protocol error", closes the connection and reads nothing more from it. Tyrus then
 * reports the close to the endpoint, and the member departs as after any lost connection.
 *
 * <p>Sits in the listener's chain just above the HTTP codec, in front of Tyrus' filter;
 * a connection is followed from the 101 that upgrades it. Within the limits the bytes
 * pass on untouched.
 */
public final class FrameGuard extends AboveHttpCodec {
    private static final Attribute<FrameHeaderReader> FRAMES =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(FrameGuard.class.getName() + ".frames");

    private final int maxFrameBytes;
    private final Consumer<CloseReason> closed;

    /** @param closed told of every connection it closes (the metrics' closes by reason) */
    public FrameGuard(int maxFrameBytes, Consumer<CloseReason> closed) {
        this.maxFrameBytes = maxFrameBytes;
        this.closed = closed;
    }

    @Override
    public NextAction handleWrite(FilterChainContext ctx) {
        HttpResponsePacket response = response(ctx);
        if (response != null && response.getStatus() == 101) {
            FRAMES.set(ctx.getConnection(), new FrameHeaderReader(maxFrameBytes));
        }
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) {
        FrameHeaderReader frames = FRAMES.get(ctx.getConnection());
        if (frames == null) { // plain HTTP, or the handshake itself
            return ctx.getInvokeAction();
        }
        if (frames.violation() != null) { // refused already: the rest goes unread
            return ctx.getStopAction();
        }
        Violation violation = frames.read(((HttpContent) ctx.getMessage()).getContent());
        if (violation == null) {
            return ctx.getInvokeAction();
        }
        CloseReason reason = violation == Violation.TOO_BIG ? CloseReasons.TOO_BIG : CloseReasons.PROTOCOL_ERROR;
        closed.accept(reason);
        refuse(ctx, reason);
        return ctx.getStopAction();
    }

    /** Writes a close frame with {@code reason}, then closes the connection (once the frame is out). */
    private static void refuse(FilterChainContext ctx, CloseReason reason) {
        byte[] frame = WebSocketConnection.closeFrame(reason.getCloseCode().getCode(), reason.getReasonPhrase());
        ctx.write(Buffers.wrap(ctx.getMemoryManager(), frame));
        ctx.getConnection().closeSilently();
    }
}
