package dev.parley.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/**
 * The check that the suites run on the server API's answers, on exchanges made up here (no
 * server): that it passes what docs/openapi.yaml allows and fails what it does not, so that a
 * suite's pass means something.
 */
class OpenApiTest {
    private static final String API = "http://127.0.0.1:8080/api/v1";
    private static final String JSON = "application/json; charset=utf-8";

    @Test
    void theDocumentIsAnOpenApi31DocumentThatTheParserTakesWithoutAWord() {
        assertEquals(List.of(), OpenApi.documentProblems());
    }

    @Test
    void aPublishedMessagePasses() {
        Exchange.post("/rooms/lobby/messages", "{\"user\":\"ada\",\"text\":\"hi\"}")
                .answer(201, "{\"seq\":1,\"ts\":\"2026-11-21T21:00:00.123Z\"}").passes();
    }

    @Test
    void anIdempotentRepeatPassesUnderAContextRootAndWithMembersTheRouteDoesNotKnow() {
        new Exchange("POST", URI.create("http://127.0.0.1:8080/parley/api/v1/rooms/lobby/messages"),
                "{\"user\":\"ada\",\"text\":\"hi\",\"idempotency_key\":\"k1\",\"later\":{\"x\":1}}")
                .answer(200, "{\"seq\":41,\"ts\":\"2026-11-21T21:00:00.000Z\"}").passes();
    }

    @Test
    void aSeqAsAStringFails() {
        Exchange.post("/rooms/lobby/messages", "{\"user\":\"ada\",\"text\":\"hi\"}")
                .answer(201, "{\"seq\":\"1\",\"ts\":\"2026-11-21T21:00:00.123Z\"}").fails("seq");
    }

    @Test
    void aTimestampWithoutMillisecondsOrNotADateOrAMemberTooManyFails() {
        Exchange.post("/rooms/lobby/messages", "{\"user\":\"ada\",\"text\":\"hi\"}")
                .answer(201, "{\"seq\":1,\"ts\":\"2026-11-21T21:00:00Z\"}").fails("/ts");
        Exchange.post("/rooms/lobby/messages", "{\"user\":\"ada\",\"text\":\"hi\"}")
                .answer(201, "{\"seq\":1,\"ts\":\"2026-02-30T21:00:00.123Z\"}").fails("date-time");
        Exchange.post("/rooms/lobby/messages", "{\"user\":\"ada\",\"text\":\"hi\"}")
                .answer(201, "{\"seq\":1,\"ts\":\"2026-11-21T21:00:00.123Z\",\"room\":\"lobby\"}").fails("room");
    }

    @Test
    void anErrorWithACodeOutsideTheContractsListFails() {
        Exchange.post("/rooms/lobby/messages", "{\"user\":\"ada\"}")
                .answer(400, "{\"code\":\"bad-frame\",\"message\":\"no text\"}").fails("bad-frame");
    }

    @Test
    void aRefusedRequestPassesWithTheRightCodeForItsStatusAndFailsWithAnother() {
        Exchange.post("/rooms/lobby/bans", "{\"user\":\"ada\",\"seconds\":0}")
                .answer(400, "{\"code\":\"bad-json\",\"message\":\"seconds: 1 to 2592000\"}").passes();
        Exchange.post("/rooms/lobby/bans", "{\"user\":\"ada\",\"seconds\":0}")
                .answer(400, "{\"code\":\"unauthorized\",\"message\":\"seconds: 1 to 2592000\"}").fails("code");
    }

    @Test
    void aRequestTheDocumentRefusesFailsWhenTheServerTakesIt() {
        Exchange.post("/rooms/lobby/bans", "{\"user\":\"ada\",\"seconds\":0}")
                .answer(201, "{\"room\":\"lobby\",\"user\":\"ada\",\"until\":\"2026-11-21T21:00:00.123Z\"}")
                .fails("seconds");
    }

    @Test
    void aBanForEverPasses() {
        Exchange.post("/rooms/lobby/bans", "{\"user\":\"ada\"}")
                .answer(201, "{\"room\":\"lobby\",\"user\":\"ada\",\"until\":null}").passes();
        Exchange.get("/rooms/lobby/bans")
                .answer(200, "{\"room\":\"lobby\",\"bans\":[{\"user\":\"ada\",\"until\":null},"
                        + "{\"user\":\"bob\",\"until\":\"2026-11-21T21:00:00.123Z\"}]}").passes();
    }

    @Test
    void anUnknownPathFails() {
        Exchange.get("/rooms/lobby/nothing").answer(404, "{\"code\":\"not-found\",\"message\":\"no such path\"}")
                .fails("/rooms/lobby/nothing");
    }

    @Test
    void aNoContentAnswerPassesWithoutABodyAndFailsWithOne() {
        Exchange.delete("/rooms/lobby/bans/ada").answer(204, "").passes();
        Exchange.delete("/rooms/lobby/bans/ada").answer(204, "{}").fails("body");
    }

    @Test
    void aHistoryPageOfMessagesWithTheirStateAndTheLogsEventsPasses() {
        Exchange.get("/rooms/lobby/messages?before=10&limit=3")
                .answer(200, "{\"room\":\"lobby\",\"messages\":["
                        + "{\"type\":\"message\",\"room\":\"lobby\",\"seq\":7,\"user\":\"ada\",\"text\":\"hi all\","
                        + "\"ts\":\"2026-11-21T21:00:00.123Z\",\"reply_to\":3,\"edited\":\"2026-11-21T21:00:01.000Z\","
                        + "\"reactions\":{\"👍\":[\"bob\",\"cy\"]}},"
                        + "{\"type\":\"edit\",\"room\":\"lobby\",\"seq\":8,\"ref\":7,\"user\":\"ada\",\"text\":\"hi all\","
                        + "\"ts\":\"2026-11-21T21:00:01.000Z\"},"
                        + "{\"type\":\"react\",\"room\":\"lobby\",\"seq\":9,\"ref\":7,\"user\":\"cy\",\"emoji\":\"👍\","
                        + "\"on\":true,\"ts\":\"2026-11-21T21:00:02.000Z\"}]}").passes();
    }

    @Test
    void aHistoryEntryOfAnUnknownTypeOrWithoutItsSeqFails() {
        Exchange.get("/rooms/lobby/messages").answer(200, "{\"room\":\"lobby\",\"messages\":["
                + "{\"type\":\"typing\",\"room\":\"lobby\",\"user\":\"ada\"}]}").fails("messages");
        Exchange.get("/rooms/lobby/messages").answer(200, "{\"room\":\"lobby\",\"messages\":["
                + "{\"type\":\"message\",\"room\":\"lobby\",\"user\":\"ada\",\"text\":\"hi\","
                + "\"ts\":\"2026-11-21T21:00:00.123Z\"}]}").fails("seq");
    }

    @Test
    void aPageOfRoomsPassesWithItsNextAndFailsPastAThousand() {
        Exchange.get("/rooms?after=lobby").answer(200, "{\"rooms\":[{\"room\":\"m\",\"count\":2,\"last\":0}],"
                + "\"next\":\"m\"}").passes();
        String rooms = IntStream.range(0, 1001).mapToObj(i -> "{\"room\":\"r" + i + "\",\"count\":0,\"last\":1}")
                .collect(Collectors.joining(",", "{\"rooms\":[", "]}"));
        Exchange.get("/rooms").answer(200, rooms).fails("rooms");
    }

    @Test
    void theMembersOfARoomPass() {
        Exchange.get("/rooms/lobby/members").answer(200, "{\"room\":\"lobby\",\"users\":[\"ada\",\"bob\"],\"count\":2}")
                .passes();
    }

    @Test
    void anUnauthorizedAnswerNeedsItsChallengeAndAnUnavailableOneItsRetryAfter() {
        Exchange unauthorized = new Exchange("GET", URI.create(API + "/rooms"), null, Map.of());
        unauthorized.answer(401, "{\"code\":\"unauthorized\",\"message\":\"a key, please\"}",
                "WWW-Authenticate", "Bearer").passes();
        unauthorized.answer(401, "{\"code\":\"unauthorized\",\"message\":\"a key, please\"}").fails("WWW-Authenticate");
        Exchange.get("/rooms").answer(503, "{\"code\":\"unavailable\",\"message\":\"later\"}", "Retry-After", "1")
                .passes();
        Exchange.get("/rooms").answer(503, "{\"code\":\"unavailable\",\"message\":\"later\"}").fails("Retry-After");
    }

    @Test
    void aMethodAPathDoesNotTakeIsAnsweredWithAllow() {
        Exchange put = new Exchange("PUT", URI.create(API + "/rooms/lobby/members"), "{}");
        put.answer(405, "{\"code\":\"not-found\",\"message\":\"GET only\"}", "Allow", "GET").passes();
        put.answer(405, "{\"code\":\"not-found\",\"message\":\"GET only\"}").fails("Allow");
    }

    @Test
    void aWebhookEventPassesWithItsIdAndFailsWithoutOrAsNoKnownFrame() {
        OpenApi.checkWebhookEvent("{\"id\":\"0b3a\",\"type\":\"joined\",\"room\":\"lobby\",\"user\":\"ada\","
                + "\"count\":1,\"ts\":\"2026-12-06T12:00:00.000Z\"}");
        OpenApi.checkWebhookEvent("{\"id\":\"0b3b\",\"type\":\"message\",\"room\":\"lobby\",\"seq\":4,"
                + "\"user\":\"ada\",\"text\":\"hi\",\"ts\":\"2026-12-06T12:00:00.000Z\",\"reply_to\":2}");
        assertThrows(AssertionError.class, () -> OpenApi.checkWebhookEvent("{\"type\":\"joined\",\"room\":\"lobby\","
                + "\"user\":\"ada\",\"count\":1,\"ts\":\"2026-12-06T12:00:00.000Z\"}"), "no id");
        assertThrows(AssertionError.class, () -> OpenApi.checkWebhookEvent("{\"id\":\"x\",\"type\":\"typing\","
                + "\"room\":\"lobby\",\"user\":\"ada\",\"ts\":\"2026-12-06T12:00:00.000Z\"}"), "not an event");
    }

    @Test
    void aPathWithPercentEncodedNamesIsMatched() {
        Exchange.post("/rooms/lobby/members/J%C3%BCrgen%20K/disconnect", null).answer(204, "").passes();
        Exchange.post("/rooms/lobby/members/nobody/disconnect", null)
                .answer(404, "{\"code\":\"not-found\",\"message\":\"not in the room\"}").passes();
    }

    /** A request as a suite sends it (with the key), and the answers it might get. */
    private record Exchange(String method, URI uri, String body, Map<String, List<String>> headers) {
        Exchange(String method, URI uri, String body) {
            this(method, uri, body, Map.of("Authorization", List.of("Bearer " + "k".repeat(32)),
                    "Content-Type", List.of("application/json")));
        }

        static Exchange get(String path) {
            return new Exchange("GET", URI.create(API + path), null);
        }

        static Exchange post(String path, String body) {
            return new Exchange("POST", URI.create(API + path), body);
        }

        static Exchange delete(String path) {
            return new Exchange("DELETE", URI.create(API + path), null);
        }

        /** The answer: JSON when it has a body, with {@code headers} as name, value, name, value... */
        Answer answer(int status, String body, String... headers) {
            Map<String, List<String>> answerHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            if (!body.isEmpty()) {
                answerHeaders.put("Content-Type", List.of(JSON));
            }
            for (int i = 0; i < headers.length; i += 2) {
                answerHeaders.put(headers[i], List.of(headers[i + 1]));
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .method(method, HttpRequest.BodyPublishers.noBody());
            this.headers.forEach((name, values) -> values.forEach(value -> request.header(name, value)));
            return new Answer(this, new Response(status, request.build(), HttpHeaders.of(answerHeaders, (n, v) -> true),
                    body));
        }
    }

    private record Answer(Exchange exchange, HttpResponse<String> response) {
        void passes() {
            OpenApi.check(exchange.method(), exchange.uri(), exchange.body(), response);
        }

        /** Fails, and the validator's messages name {@code what}. */
        void fails(String what) {
            AssertionError failure = assertThrows(AssertionError.class,
                    () -> OpenApi.check(exchange.method(), exchange.uri(), exchange.body(), response));
            assertTrue(failure.getMessage().contains(what), failure.getMessage());
        }
    }

    /** An answer as the JDK's client gives it. */
    private record Response(int statusCode, HttpRequest request, HttpHeaders headers, String body)
            implements HttpResponse<String> {
        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
