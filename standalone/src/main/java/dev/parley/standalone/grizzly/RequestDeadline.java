package dev.parley.standalone.grizzly;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpResponsePacket;

/**
 * PARLEY_REQUEST_TIMEOUT: each HTTP request, a WebSocket handshake included, must have
 * been answered within the timeout of the connection's accept, or of the end of the
 * previous response on a keep-alive connection; an idle keep-alive connection is closed
 * when it runs out. It is a deadline, not an idle timer: bytes that trickle in do not
 * put it off. A connection that was upgraded (a 101 written) is no longer watched, nor one
 * while it carries an event stream (the HTTP transport): the chat's idle check is their
 * timer. After the stream the connection is watched again, as after any response.
 *
 * <p>Sits in the listener's chain just above the HTTP codec, so it sees every response
 * head going out; a sweep twice a second closes the connections past their deadline.
 */
public final class RequestDeadline extends AboveHttpCodec implements AutoCloseable {
    private static final long SWEEP_MILLIS = 500;

    private final long timeoutNanos;
    private final Map<Connection<?>, Long> deadlines = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "parley-request-timeout");
        thread.setDaemon(true);
        return thread;
    });

    public RequestDeadline(Duration timeout) {
        timeoutNanos = timeout.toNanos();
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public NextAction handleAccept(FilterChainContext ctx) {
        deadlines.put(ctx.getConnection(), System.nanoTime() + timeoutNanos);
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleWrite(FilterChainContext ctx) {
        HttpResponsePacket response = response(ctx);
        if (response != null) {
            boolean last = ((HttpContent) ctx.getMessage()).isLast();
            if (response.getStatus() == 101) {
                deadlines.remove(ctx.getConnection());
            } else if (isEventStream(response)) {
                // watched again once the stream is over: the connection is an idle keep-alive one then
                if (last) {
                    deadlines.put(ctx.getConnection(), System.nanoTime() + timeoutNanos);
                } else {
                    deadlines.remove(ctx.getConnection());
                }
            } else if (last) { // the whole response is out
                deadlines.replace(ctx.getConnection(), System.nanoTime() + timeoutNanos);
            }
        }
        return ctx.getInvokeAction();
    }

    /** The HTTP transport's stream: an answer that lasts as long as its connection, watched by the chat's idle check. */
    private static boolean isEventStream(HttpResponsePacket response) {
        String type = response.getContentType();
        return response.getStatus() == 200 && type != null && type.startsWith("text/event-stream");
    }

    @Override
    public NextAction handleClose(FilterChainContext ctx) {
        deadlines.remove(ctx.getConnection());
        return ctx.getInvokeAction();
    }

    /** Closes the connections past their deadline. */
    private void sweep() {
        long now = System.nanoTime();
        deadlines.forEach((connection, deadline) -> {
            if (now - deadline > 0 && deadlines.remove(connection, deadline)) {
                connection.closeSilently();
            }
        });
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
