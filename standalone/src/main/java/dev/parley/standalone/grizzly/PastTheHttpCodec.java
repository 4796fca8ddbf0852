package dev.parley.standalone.grizzly;

import java.nio.ByteBuffer;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
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
import org.glassfish.grizzly.memory.ByteBufferArray;
import org.glassfish.grizzly.ssl.SSLBaseFilter;
import org.glassfish.tyrus.container.grizzly.client.TaskProcessor;
import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerFilter;
import org.glassfish.tyrus.spi.ReadHandler;

/**
 * Lets go of the upgrade request once a connection is a WebSocket one. Grizzly's HTTP codec
 * keeps the request that upgraded a connection for as long as the connection lives (its
 * headers, its parsing state, its response: some 10 KB of heap, more than half of what
 * an idle chat connection held) and hands every later read up as that request's content. From the 101 on, this
 * forgets the request and takes the reads past the codec itself, wrapped as the content
 * of one shared placeholder request, which is all the filters above it read of them
 * ({@link FrameGuard}, {@link Handover}: the bytes).
 *
 * <p>Writes go past it too, and past every other filter that has nothing to do with an
 * upgraded connection's bytes: a frame Tyrus writes starts at the top of the chain, and
 * on its way down each filter is called to let it pass (the codec, the file cache,
 * Parley's own response watchers, Tyrus' filter), a fifth of the CPU a delivery cost in
 * Java. From the top the frame jumps to the TLS
 * filter, which must encrypt it, or else to the transport.
 *
 * <p>Reads go past Tyrus' filter as well: {@link Handover} gives the bytes to Tyrus' reader
 * itself, as Tyrus' filter does once a connection is upgraded, and drops them when Tyrus has
 * let go of the connection meanwhile (docs/CLEAN-LOG.md: Tyrus' filter fails then).
 *
 * <p>Four filters: one just above the codec sees the 101 go out, one just below it takes
 * the reads that follow, one just below Tyrus' filter hands them to Tyrus, one at the top of
 * the chain takes the writes. Plain HTTP, handshakes and the HTTP transport's streams pass
 * all four untouched.
 */
public final class PastTheHttpCodec implements AddOn {
    private static final Attribute<Boolean> UPGRADED =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(PastTheHttpCodec.class.getName() + ".upgraded");
    /** The header every bypassed read is the content of; read by no one, changed by no one. */
    private static final HttpRequestPacket WEBSOCKET_STREAM =
            HttpRequestPacket.builder().method(Method.GET).uri("/").protocol(Protocol.HTTP_1_1).build();

    /**
     * Tyrus' own attributes of an upgraded connection, which its filter sets at the handshake
     * and removes when the connection closes: the same attributes, by their names in
     * {@link GrizzlyServerFilter} (Tyrus 2.2.2).
     */
    private static final Attribute<org.glassfish.tyrus.spi.Connection> TYRUS_CONNECTION =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(GrizzlyServerFilter.class.getName() + ".Connection");
    private static final Attribute<TaskProcessor> TYRUS_TASKS =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(TaskProcessor.class.getName() + ".TaskProcessor");

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int tyrus = builder.indexOfType(GrizzlyServerFilter.class);
        if (tyrus >= 0) {
            builder.add(tyrus, new Handover());
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
     * Just below Tyrus' filter: an upgraded connection's bytes go to Tyrus' reader, through the
     * connection's task processor, as Tyrus' filter sends them, or nowhere if Tyrus has let go of
     * the connection. Tyrus lets go (removes its two attributes) as soon as the connection is
     * closed, and a close from another thread (a member removed by an administrator, a slow
     * consumer, a closed room, the stop) may come while the selector carries a read of that
     * connection up the chain. Tyrus' filter then either passes the bytes on, to Grizzly's HTTP
     * server, which fails on their placeholder request, or finds one attribute gone between its
     * reads of the two: GRIZZLY0013 with a NullPointerException either way (docs/CLEAN-LOG.md).
     * The bytes belong to nobody now; the connection is closing.
     */
    private static final class Handover extends BaseFilter {
        @Override
        public NextAction handleRead(FilterChainContext ctx) {
            Connection<?> connection = ctx.getConnection();
            if (UPGRADED.get(connection) == null) {
                return ctx.getInvokeAction(); // a handshake, plain HTTP: Tyrus' filter and the HTTP server
            }
            HttpContent content = ctx.getMessage();
            Buffer bytes = content.getContent();
            content.recycle();
            TaskProcessor tasks = TYRUS_TASKS.get(connection);
            org.glassfish.tyrus.spi.Connection tyrus = TYRUS_CONNECTION.get(connection);
            if (tasks == null || tyrus == null || !bytes.hasRemaining()) {
                return ctx.getStopAction();
            }
            ReadHandler reader = tyrus.getReadHandler();
            if (!bytes.isComposite()) {
                tasks.processTask(new Read(bytes.toByteBuffer(), reader));
            } else {
                ByteBufferArray parts = bytes.toByteBufferArray();
                ByteBuffer[] array = parts.getArray();
                for (int i = 0; i < parts.size(); i++) {
                    tasks.processTask(new Read(array[i], reader));
                }
                parts.recycle();
            }
            return ctx.getStopAction();
        }
    }

    /** Bytes for Tyrus' reader, in the connection's turn. */
    private static final class Read extends TaskProcessor.Task {
        private final ByteBuffer bytes;
        private final ReadHandler reader;

        Read(ByteBuffer bytes, ReadHandler reader) {
            this.bytes = bytes;
            this.reader = reader;
        }

        @Override
        public void execute() {
            reader.handle(bytes);
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
