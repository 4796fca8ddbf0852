package dev.parley.standalone.grizzly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Http;
import dev.parley.support.LogProblems;
import dev.parley.support.Poll;
import dev.parley.support.RawConnection;
import dev.parley.support.StandaloneParley;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A chunked request body whose chunk size is no hex number: the client is answered 400 and
 * its connection closed, and the server's log says nothing of it ({@link BrokenBody}).
 * Stock Grizzly answers the same, and logs GRIZZLY0013 with the client's mistake as a stack
 * trace: the last test shows it on a Grizzly server with none of Parley's filters.
 */
class BrokenBodyTest {
    private static final String TOKEN = "admin-token-for-the-suites-0123";
    private static final String BROKEN = "zz\r\n\r\n";
    /** So that the body comes in a read of its own, after the handler has started on the request. */
    private static final Duration APART = Duration.ofMillis(200);

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_ADMIN_TOKEN", TOKEN));

    @RegisterExtension
    final LogProblems problems = new LogProblems();

    /** Each path whose handler reads a body, or answers without reading it. */
    private static final List<String> HEADS = List.of(
            "POST /sse/lobby/AAAA.AAAAAAAAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n",
            "POST /admin/api/disconnect HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");

    @Test
    void aBrokenBodyWithItsHeadIsAnswered400AndLogsNothing() throws Exception {
        for (String head : HEADS) {
            try (RawConnection client = new RawConnection(SERVER.httpUri())) {
                client.send(head + BROKEN);
                assertAnswered400AndClosed(client, head);
            }
        }
        assertServing();
        assertEquals(List.of(), problems.recorded(), "what the server logged");
    }

    @Test
    void aBrokenBodyAfterItsHeadIsAnswered400AndLogsNothing() throws Exception {
        for (String head : HEADS) {
            try (RawConnection client = new RawConnection(SERVER.httpUri())) {
                client.send(head);
                Thread.sleep(APART.toMillis()); // pacing only: sent together, the case above
                client.send(BROKEN);
                assertAnswered400AndClosed(client, head);
            }
        }
        assertServing();
        assertEquals(List.of(), problems.recorded(), "what the server logged");
    }

    @Test
    void aBrokenBodyAfterAGoodChunkIsAnswered400AndLogsNothing() throws Exception {
        for (String head : HEADS) {
            try (RawConnection client = new RawConnection(SERVER.httpUri())) {
                client.send(head + "3\r\n{\"t\r\n");
                Thread.sleep(APART.toMillis());
                client.send(BROKEN);
                assertAnswered400AndClosed(client, head);
            }
        }
        assertServing();
        assertEquals(List.of(), problems.recorded(), "what the server logged");
    }

    /** Why {@link BrokenBody} is there: Grizzly alone logs the client's broken body as a failure of its own. */
    @Test
    void stockGrizzlyLogsABrokenBodyAsGrizzly0013() throws Exception {
        HttpServer stock = new HttpServer();
        NetworkListener listener = new NetworkListener("stock", "127.0.0.1", 0);
        stock.addListener(listener);
        stock.getServerConfiguration().addHttpHandler(new HttpHandler() {
            @Override
            public void service(Request request, Response response) {
                response.setStatus(204);
            }
        }, "/");
        stock.start();
        try (RawConnection client = new RawConnection(URI.create("http://127.0.0.1:" + listener.getPort() + "/"))) {
            client.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + BROKEN);
            assertAnswered400AndClosed(client, "stock Grizzly");
        } finally {
            stock.shutdownNow();
        }
        List<String> logged = Poll.until(problems::recorded, recorded -> recorded.stream().anyMatch(problem ->
                problem.contains("GRIZZLY0013") && problem.contains("HttpBrokenContentException")), Duration.ofSeconds(5));
        assertTrue(logged.stream().anyMatch(problem -> problem.contains("GRIZZLY0013")), () -> "Grizzly logged "
                + logged + ": if it no longer logs GRIZZLY0013 here, BrokenBody may go (docs/CLEAN-LOG.md)");
    }

    /** 400, or the handler's own refusal where it answered before the body broke (405 for a POST of the page). */
    private static void assertAnswered400AndClosed(RawConnection client, String what) throws IOException {
        String head = client.readHead();
        assertTrue(head.startsWith("HTTP/1.1 400") || head.startsWith("HTTP/1.1 405") && what.startsWith("POST / "),
                () -> what + " answered " + head);
        assertTrue(client.endsWithin(Duration.ofSeconds(5)), () -> what + ": the connection is still open");
    }

    /** The server goes on answering. */
    private static void assertServing() {
        assertEquals(200, Http.get(SERVER.httpUri().resolve("health/live")).statusCode());
    }
}
