package dev.parley.standalone.grizzly;

import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.ssl.SSLBaseFilter;

/**
 * Lets go of the upgrade request once a connection is a WebSocket one. Grizzly's HTTP codec
 * keeps the request that upgraded a connection for as long as the connection lives (its
 * headers, its parsing state, its response: some 10 KB of heap, more than half of what
 * an idle chat connection held) and hands every later read up as that request's content. From the 101 on, this
 * forgets the request and takes the reads past the codec itself, wrapped as the content
 * of one shared placeholder request, which is all the filters above it read of them
 * ({@link FrameGuard}, Tyrus' own: the bytes).
 *
 * <p>Writes go past it too, and past every other filter that has nothing to do with an
 * upgraded connection's bytes: a frame Tyrus writes starts at the top of the chain, and
 * on its way down each filter is called to let it pass (the codec, the file cache,
 * Parley's own response watchers, Tyrus' filter), a fifth of the CPU a delivery cost in
 * Java. From the top the frame jumps to the TLS
 * filter, which must encrypt it, or else to the transport.
 *
 * <p>Four filters: one just above the codec sees the 101 go out, one just below it takes
 * the reads that follow, one just above Tyrus' filter drops what Tyrus no longer takes, one
 * at the top of the chain takes the writes. Plain HTTP and the HTTP transport's streams pass
 * all four untouched.
 */
public final class PastTheHttpCodec implements AddOn {
    private static final Attribute<Boolean> UPGRADED =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(PastTheHttpCodec.class.getName() + ".upgraded");
    /** The header every bypassed read is the content of; read by no one, changed by no one. */
    private static final HttpRequestPacket WEBSOCKET_STREAM =
            HttpRequestPacket.builder().method(Method.GET).uri("/").protocol(Protocol.HTTP_1_1).build();

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int server = builder.indexOfType(org.glassfish.grizzly.http.server.HttpServerFilter.class);
        if (server >= 0) { // Tyrus' filter is just below it
            builder.add(server, new Unclaimed());
        }
        int codec = builder.indexOfType(HttpServerFilter.class);
        builder.add(codec + 1, new Upgrades());
        builder.add(codec, new Bypass());
        builder.add(new Descent()); // at the top: where writes start
    }

    /** Above the codec: at the 101, marks the connection and drops the codec's request. */
    private static final class Upgrades extends BaseFilter {
        @Override
        public NextAction handleWrite(FilterChainContext ctx) {
            HttpResponsePacket response = AboveHttpCodec.response(ctx);
            if (response != null && response.getStatus() == 101) {
                UPGRADED.set(ctx.getConnection(), Boolean.TRUE);
                // the codec has parsed this request and will not see the connection's reads
                // again: the response goes out from the packet it was handed, not from here
                ctx.getConnection().getAttributes().removeAttribute(HttpServerFilter.HTTP_SERVER_REQUEST_ATTR_NAME);
            }
            return ctx.getInvokeAction();
        }
    }

    /** At the top of the chain: an upgraded connection's frames go straight to TLS, or the transport. */
    private static final class Descent extends BaseFilter {
        private volatile int landing = -1; // the filter a frame goes to; the chain is built once

        @Override
        public NextAction handleWrite(FilterChainContext ctx) {
            if (ctx.getMessage() instanceof Buffer && UPGRADED.get(ctx.getConnection()) != null) {
                ctx.setFilterIdx(landing(ctx.getFilterChain()) + 1); // the chain goes on below it
            }
            return ctx.getInvokeAction();
        }

        private int landing(FilterChain chain) {
            int index = landing;
            if (index < 0) {
                int tls = chain.indexOfType(SSLBaseFilter.class);
                index = tls >= 0 ? tls : chain.indexOfType(TransportFilter.class);
                landing = index;
            }
            return index;
        }
    }

    /**
     * Above Tyrus' filter: an upgraded connection's bytes that Tyrus did not take, dropped.
     * Tyrus lets go of a connection as soon as it is closed, and a close from another thread
     * (a member removed by an administrator, the idle check, a slow consumer, a closed room)
     * may come while the selector carries a read of that connection up the chain: Tyrus then
     * hands the bytes on, and Grizzly's HTTP server would fail on the placeholder they come in
     * (GRIZZLY0013, docs/CLEAN-LOG.md). They belong to nobody now: the connection is closing.
     */
    private static final class Unclaimed extends BaseFilter {
        @Override
        public NextAction handleRead(FilterChainContext ctx) {
            if (ctx.getMessage() instanceof HttpContent bytes && bytes.getHttpHeader() == WEBSOCKET_STREAM) {
                bytes.recycle();
                return ctx.getStopAction();
            }
            return ctx.getInvokeAction();
        }
    }

    /** Below the codec: an upgraded connection's bytes go to the filter above the codec. */
    private static final class Bypass extends BaseFilter {
        @Override
        public NextAction handleRead(FilterChainContext ctx) {
            if (UPGRADED.get(ctx.getConnection()) == null) {
                return ctx.getInvokeAction();
            }
            Buffer bytes = ctx.getMessage();
            ctx.setMessage(HttpContent.create(WEBSOCKET_STREAM, false, bytes));
            ctx.setFilterIdx(ctx.getFilterIdx() + 1); // the chain goes on after the codec
            return ctx.getInvokeAction();
        }
    }
}
