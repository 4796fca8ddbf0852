package dev.parley.client;

import java.net.URI;
import java.util.function.Supplier;

/**
 * {@link Transport#AUTO}: WebSocket first; one that does not open within
 * {@link #OPEN_TIMEOUT_MILLIS} or is refused falls back to the HTTP transport within the same
 * attempt. As the web page's {@code fallback.js} does:
 *
 * <ul>
 *   <li>a WebSocket that missed the deadline is left to open late, and one that was refused
 *       is tried again after {@link #PROBE_FIRST_MILLIS}, then at doubling intervals up to
 *       {@link #PROBE_CAP_MILLIS};</li>
 *   <li>one that opens while HTTP is still opening is used instead; one that opens later is
 *       closed and {@code upgrade} runs: the client connects again, which opens on WebSocket.</li>
 * </ul>
 *
 * Runs on the client's thread, as its wires call it.
 */
final class FallbackWire implements Wire {
    static final long OPEN_TIMEOUT_MILLIS = 3_000;
    static final long PROBE_FIRST_MILLIS = 15_000;
    static final long PROBE_CAP_MILLIS = 300_000;
    private static final int LOST = 1006;

    private final Supplier<Wire> websockets;
    private final Supplier<Wire> streams;
    private final URI streamUri;
    private final Runnable upgrade;
    private final Timers timers;
    private URI socketUri;
    private Handler handler;
    private Wire current;           // the wire in use: a WebSocket (opening or open) or, after a fallback, HTTP
    private boolean opened;         // current has opened
    private Wire probe;             // a WebSocket being tried while HTTP is in use
    private long probeDelay = PROBE_FIRST_MILLIS;
    private Timers.Timer deadline;
    private Timers.Timer probeTimer;
    private boolean closed;

    /** {@code upgrade}: a WebSocket opened after this wire fell back to HTTP, and HTTP is open. */
    FallbackWire(Supplier<Wire> websockets, Supplier<Wire> streams, URI streamUri, Runnable upgrade, Timers timers) {
        this.websockets = websockets;
        this.streams = streams;
        this.streamUri = streamUri;
        this.upgrade = upgrade;
        this.timers = timers;
    }

    @Override
    public void open(URI uri, Handler handler) {
        this.socketUri = uri;
        this.handler = handler;
        Wire ws = websocket();
        current = ws;
        deadline = timers.schedule(() -> fallBack(ws), OPEN_TIMEOUT_MILLIS);
    }

    @Override
    public boolean send(String json) {
        return current != null && opened && current.send(json);
    }

    @Override
    public void close() {
        stopProbing();
        cancel(deadline);
        Wire was = current;
        current = null;
        if (was != null) {
            was.close();
        }
    }

    /** A WebSocket attempt: the first one, or a probe. */
    private Wire websocket() {
        Wire ws = websockets.get();
        ws.open(socketUri, new Handler() {
            @Override
            public void opened(Transport kind) {
                websocketOpened(ws, kind);
            }

            @Override
            public void frame(String json) {
                if (current == ws) {
                    handler.frame(json);
                }
            }

            @Override
            public void closed(int code, String reason) {
                websocketClosed(ws, code, reason);
            }
        });
        return ws;
    }

    private void websocketOpened(Wire ws, Transport kind) {
        if (ws == current) {
            cancel(deadline);
            opened = true;
            handler.opened(kind);
        } else if (ws == probe) {
            probe = null;
            if (opened) {
                ws.close();
                upgrade.run();
                return;
            }
            Wire http = current;   // still opening: WebSocket takes its place
            current = ws;
            if (http != null) {
                http.close();
            }
            opened = true;
            handler.opened(kind);
        }
    }

    private void websocketClosed(Wire ws, int code, String reason) {
        if (ws == probe) {
            probe = null;
            probeLater();
        } else if (ws == current) {
            if (opened) {
                lost(code, reason);
            } else {
                fallBack(null);   // refused: HTTP now, WebSocket again later
            }
        }
    }

    /** To HTTP. {@code late}: the WebSocket that missed its deadline, left to open late (null: it failed). */
    private void fallBack(Wire late) {
        cancel(deadline);
        if (late != null) {
            probe = late;
        } else {
            probeLater();
        }
        Wire http = streams.get();
        current = http;
        http.open(streamUri, new Handler() {
            @Override
            public void opened(Transport kind) {
                if (current == http) {
                    opened = true;
                    handler.opened(kind);
                }
            }

            @Override
            public void frame(String json) {
                if (current == http) {
                    handler.frame(json);
                }
            }

            @Override
            public void closed(int code, String reason) {
                if (current == http) {
                    lost(code, reason);
                }
            }
        });
    }

    private void lost(int code, String reason) {
        stopProbing();
        current = null;
        handler.closed(code, reason);
    }

    private void probeLater() {
        if (closed || probeTimer != null) {
            return;
        }
        long delay = probeDelay;
        probeDelay = Math.min(PROBE_CAP_MILLIS, delay * 2);
        probeTimer = timers.schedule(() -> {
            probeTimer = null;
            if (!closed && current != null) {
                probe = websocket();
            }
        }, delay);
    }

    private void stopProbing() {
        closed = true;
        cancel(probeTimer);
        probeTimer = null;
        Wire was = probe;
        probe = null;
        if (was != null) {
            was.close();
        }
    }

    private static void cancel(Timers.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
