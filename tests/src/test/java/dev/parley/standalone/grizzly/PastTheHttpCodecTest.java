package dev.parley.standalone.grizzly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.LogProblems;
import dev.parley.support.RawConnection;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.strategies.SameThreadIOStrategy;
import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerFilter;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link PastTheHttpCodec} in a Grizzly listener with Tyrus, as the standalone server
 * builds it, with two filters more: {@link Gate} holds a read of an upgraded connection on
 * its way from the codec to Tyrus, so that a test can make happen at will what the server
 * met by chance (docs/CLEAN-LOG.md), the connection closed from another thread while the
 * selector carries a read of it up the chain; {@link Spy}, just below Tyrus' filter, sees
 * what reaches it.
 */
class PastTheHttpCodecTest {
    private static final long WAIT_SECONDS = 10;

    @RegisterExtension
    final LogProblems problems = new LogProblems();

    private final Gate gate = new Gate();
    private final Spy spy = new Spy();
    private HttpServer http;
    private URI echo;

    /** Says back what it is sent. */
    @ServerEndpoint("/echo")
    public static final class Echo {
        @OnMessage
        public String echo(String text) {
            return text;
        }
    }

    @BeforeEach
    void start() throws Exception {
        Endpoints websockets = new Endpoints();
        websockets.start("/", 0);
        http = new HttpServer();
        NetworkListener listener = new NetworkListener("past-the-codec", "127.0.0.1", 0);
        listener.getTransport().setIOStrategy(SameThreadIOStrategy.getInstance()); // the standalone server's
        listener.registerAddOn(gate);
        listener.registerAddOn(new WebSocketAddOn(websockets, "/"));
        listener.registerAddOn(new PastTheHttpCodec());
        listener.registerAddOn(spy);
        http.addListener(listener);
        http.start();
        echo = URI.create("ws://127.0.0.1:" + listener.getPort() + "/echo");
    }

    @AfterEach
    void stop() {
        gate.release.countDown();
        http.shutdownNow();
    }

    @Test
    void bytesReadAfterAnotherThreadClosedTheConnectionGoNowhere() throws Exception {
        try (RawConnection client = RawConnection.upgraded(echo)) {
            client.sendText("before");
            assertEquals("before", new String(client.readFrame().payload(), StandardCharsets.UTF_8), "the echo works");

            gate.armed.set(true);
            client.sendText("after"); // read by the selector, held at the gate
            Connection<?> connection = gate.held.get(WAIT_SECONDS, TimeUnit.SECONDS);
            connection.closeSilently(); // from this thread: Tyrus lets go of the connection at once
            gate.release.countDown();

            assertTrue(gate.through.await(WAIT_SECONDS, TimeUnit.SECONDS), "the read never left the chain");
            assertEquals(java.util.List.of(), problems.recorded(), "what Grizzly logged");
            assertEquals(0, spy.frames.get(), "reads of an upgraded connection that reached Tyrus' filter");
        }
    }

    /** Just below Tyrus' filter: counts the reads that reach it other than handshakes (there is no plain HTTP here). */
    private static final class Spy extends BaseFilter implements AddOn {
        final AtomicInteger frames = new AtomicInteger();

        @Override
        public void setup(NetworkListener listener, FilterChainBuilder builder) {
            builder.add(builder.indexOfType(GrizzlyServerFilter.class), this);
        }

        @Override
        public NextAction handleRead(FilterChainContext ctx) {
            if (ctx.getMessage() instanceof HttpContent content
                    && !"websocket".equalsIgnoreCase(content.getHttpHeader().getUpgrade())) {
                frames.incrementAndGet();
            }
            return ctx.getInvokeAction();
        }
    }

    /** Just above the codec: holds the first read after it is armed until it is released, and notes when it is through. */
    private static final class Gate extends AboveHttpCodec {
        final AtomicBoolean armed = new AtomicBoolean();
        final CompletableFuture<Connection<?>> held = new CompletableFuture<>();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch through = new CountDownLatch(1);

        @Override
        public NextAction handleRead(FilterChainContext ctx) throws java.io.IOException {
            if (armed.compareAndSet(true, false)) {
                ctx.addCompletionListener(done -> through.countDown()); // after anything the chain logs
                held.complete(ctx.getConnection());
                try {
                    release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ctx.getInvokeAction();
        }
    }

    /** A Tyrus container whose engine runs in the test's own listener, as the standalone server's does. */
    private static final class Endpoints extends TyrusServerContainer {
        private final WebSocketEngine engine = TyrusWebSocketEngine.builder(this).build();

        Endpoints() {
            super(Set.of(Echo.class));
        }

        @Override
        public void register(Class<?> endpointClass) throws DeploymentException {
            engine.register(endpointClass, "/");
        }

        @Override
        public void register(ServerEndpointConfig config) throws DeploymentException {
            engine.register(config, "/");
        }

        @Override
        public WebSocketEngine getWebSocketEngine() {
            return engine;
        }

        @Override
        public Map<String, Object> getProperties() {
            return Map.of();
        }
    }
}
