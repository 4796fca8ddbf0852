package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.ParleyNode;
import dev.parley.support.RawConnection;
import dev.parley.support.Scrape;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 32, "a clean log". One standalone server run as an operator runs it (a process of
 * its own, admin and metrics tokens set), and every kind of traffic at once for
 * {@link #SOAK}: members chatting in three rooms over WebSocket and over the HTTP
 * transport, members coming and going every way a member can go, the page and its files,
 * the admin view polling its API and moderating, scrapes and health checks, refused
 * upgrades, malformed requests, requests and frames cut off, a client that stops reading.
 * Then the server is stopped, and its whole output is read: a WARNING or SEVERE record, or
 * a stack trace, fails the test unless {@link #EXPLAINED} says why it is there.
 *
 * <p>So that it cannot pass by doing nothing, every member that stayed must have received
 * its room's messages, all of them (at least every one acknowledged) and in seq order with
 * no gap, every other kind of traffic must have had its answers as the docs promise, and the
 * server's metrics must count the closes the test caused.
 */
class CleanLogSoakTest {
    private static final String ADMIN_TOKEN = "soak-admin-token-0123456789";
    private static final String METRICS_TOKEN = "soak-metrics-token-0123456789";
    /** How long all the traffic runs at once. */
    private static final Duration SOAK = Duration.ofSeconds(20);
    /**
     * PARLEY_REQUEST_TIMEOUT, its default: requests left half-sent are cut within the soak.
     * (Shorter, it closes keep-alive connections so often that a POST of the HTTP transport now
     * and then meets one closing, which a browser sends again and the JDK's client does not.)
     */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /**
     * PARLEY_IDLE_TIMEOUT: short, so that silent members are closed by the idle check within the
     * soak, and not shorter, so that on a loaded machine a member that says something ten times
     * a second is never silent that long.
     */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * PARLEY_SEND_BUFFER: small, so that the member who stops reading is found out soon, and
     * room for 32 of the large messages (a frame counts two bytes a character), so that the
     * members who read them are not, on a loaded machine.
     */
    private static final int SEND_BUFFER = 128 * 1024;
    /** Any one wait of the test: an answer, a frame, a close. */
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> ROOMS = List.of("soak-a", "soak-b", "soak-c");
    private static final String END = "the end of the soak";

    /**
     * What the log may hold at WARNING or above, or with a stack trace, and why: one entry a
     * kind of record, {@code new Explained(Pattern.compile("…"), "why it is there")}, found in
     * the record's whole text (its first line, its exception and stack trace), so that one
     * entry cannot let through every GRIZZLY0013. Empty: none of what the soak found (three
     * kinds of GRIZZLY0013) was a thing an operator should see (docs/CLEAN-LOG.md). The lines
     * it expects are INFO: the member closed for not reading, the rooms an administrator closed
     * and reopened, the start and the stop.
     */
    private static final List<Explained> EXPLAINED = List.of();

    private record Explained(Pattern record, String why) {
    }

    /** A plain HTTP/1.1 client, as a browser speaks to a server without TLS: keep-alive connections. */
    private static final HttpClient HTTP11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();
    /** The JDK's default client, which offers an upgrade to h2c with every plain request. */
    private static final HttpClient H2C = HttpClient.newBuilder().connectTimeout(WAIT).build();

    private final Map<String, LongAdder> tally = new ConcurrentHashMap<>();
    private final Surprises surprises = new Surprises();
    private final Map<String, AtomicInteger> acked = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "soak");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger names = new AtomicInteger();
    private volatile long soakEnds;
    private ParleyNode node;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyKindOfTrafficAtOnceLeavesNothingUnexplainedInTheLog() throws Exception {
        node = new ParleyNode("soak", Map.of(
                "PARLEY_ADMIN_TOKEN", ADMIN_TOKEN,
                "PARLEY_METRICS_TOKEN", METRICS_TOKEN,
                "PARLEY_REQUEST_TIMEOUT", Long.toString(REQUEST_TIMEOUT.toSeconds()),
                "PARLEY_IDLE_TIMEOUT", Long.toString(IDLE_TIMEOUT.toSeconds()),
                "PARLEY_SEND_BUFFER", Integer.toString(SEND_BUFFER)));
        List<Member> members = new ArrayList<>();
        AssertionError trafficFailed = null;
        try {
            node.start();
            for (String room : ROOMS) {
                acked.put(room, new AtomicInteger());
                for (int i = 1; i <= 3; i++) {
                    members.add(new Member(room, "ws" + i, node.chatUri(room)));
                }
                members.add(new Member(room, "http1", stream(room)));
            }
            soakEnds = System.nanoTime() + SOAK.toNanos();
            members.forEach(Member::start);
            List<Future<?>> traffic = List.of(
                    repeat("churn", 50, this::churn),
                    repeat("churn over HTTP", 100, this::churnOverHttp),
                    repeat("idle member", 0, this::idleMember),
                    repeat("room closed", 500, this::roomClosedAndReopened),
                    repeat("page", 50, this::page),
                    repeat("admin view", 250, this::adminView),
                    repeat("operator", 200, this::operator),
                    repeat("refused upgrade", 100, this::refusedUpgrade),
                    repeat("bad frames", 100, this::badFrames),
                    repeat("bad request", 50, this::badRequest),
                    repeat("cut off", 200, this::cutOff),
                    repeat("left half-sent", 0, this::leftHalfSent),
                    pool.submit(() -> once("slow consumer", this::slowConsumer)));
            for (Future<?> kind : traffic) {
                kind.get(SOAK.plus(WAIT).plus(WAIT).toMillis(), TimeUnit.MILLISECONDS);
            }
            for (Member member : members) {
                member.awaitLastAck();
            }
            for (String room : ROOMS) { // after every acknowledged message: its seq is the room's last
                Member first = members.stream().filter(m -> m.room.equals(room)).findFirst().orElseThrow();
                first.client.say(END, "end");
                first.client.awaitAck("end");
                acked.get(room).incrementAndGet();
            }
            for (Member member : members) {
                member.awaitEnd();
            }

            assertTrue(surprises.isEmpty(), () -> "answers the docs do not promise:\n" + surprises.text());
            for (Member member : members) {
                member.assertReceivedItsRoomInOrder();
            }
            for (String kind : List.of("message acknowledged", "churn", "churn over HTTP", "idle member",
                    "room closed", "page", "admin view", "operator", "refused upgrade", "bad frames", "bad request",
                    "cut off", "left half-sent", "slow consumer")) {
                assertTrue(count(kind) > 0, () -> "no " + kind + " in the soak: " + tally);
            }
            Scrape scrape = Scrape.of(node.httpUri().resolve("metrics"), METRICS_TOKEN);
            assertTrue(scrape.value("parley_messages_stored_total") >= count("message acknowledged"), scrape::text);
            assertTrue(closes(scrape, 1008, "removed by an administrator") >= count("churn: admin's disconnect"),
                    scrape::text);
            assertTrue(closes(scrape, 1008, "room closed") >= count("room closed"), scrape::text);
            assertTrue(closes(scrape, 1000, "idle timeout") >= count("idle member"), scrape::text);
            assertTrue(closes(scrape, 1008, "origin not allowed") >= count("refused upgrade: origin"), scrape::text);
            assertEquals(1.0, closes(scrape, 1008, "slow consumer"), scrape::text);
        } catch (AssertionError e) {
            trafficFailed = e; // the log is read all the same
        } finally {
            for (Member member : members) {
                member.finish();
            }
            node.stop(); // with the members still connected: the stop is part of the log too
            pool.shutdownNow();
        }
        List<String> lines = node.lines();
        Path log = Path.of("target", "clean-log-soak.log");
        if (Files.isDirectory(log.getParent())) {
            Files.write(log, lines);
        }
        System.out.println("What the soak did: " + new TreeMap<>(tally) + "; the server's log: " + log.toAbsolutePath());
        assertTrue(lines.size() < 10_000, "the log was kept whole");
        for (String expected : List.of("Parley listening on", "were not read in time", "closed by an administrator",
                "Parley stopping")) { // the log was read, start to stop
            assertTrue(lines.stream().anyMatch(line -> line.contains(expected)), () -> "no line saying \"" + expected
                    + "\" in the server's log:\n" + String.join("\n", lines));
        }
        AssertionError traffic = trafficFailed;
        String unexplained = problems(lines).stream().map(entry -> String.join("\n", entry))
                .filter(entry -> EXPLAINED.stream().noneMatch(explained -> explained.record().matcher(entry).find()))
                .collect(Collectors.joining("\n\n"));
        assertAll(() -> {
            if (traffic != null) {
                throw traffic;
            }
        }, () -> assertTrue(unexplained.isEmpty(), () -> "the server's log holds what Parley does not explain:\n"
                + unexplained + "\n\nwhat the soak did: " + new TreeMap<>(tally)));
    }

    // ---- the log ----

    @Test
    void theLogIsReadForWarningsStackTracesAndWhatIsNoRecord() {
        List<String> log = List.of(
                "2026-12-06T15:43:14.957 INFO dev.parley.standalone.StandaloneServer: Parley listening on http://…",
                "2026-12-06T15:43:22.112 WARNING org.glassfish.grizzly.filterchain.DefaultFilterChain: GRIZZLY0013: …",
                "java.lang.NullPointerException: Cannot invoke …",
                "\tat org.glassfish.grizzly.attributes.Attribute.get(Attribute.java:114)",
                "2026-12-06T15:43:23.282 INFO dev.parley.room.Connection: Closing Connection[a/b]: …",
                "2026-12-06T15:43:24.000 INFO dev.parley.Some: something failed",
                "java.io.IOException: here is why",
                "2026-12-06T15:43:25.000 SEVERE dev.parley.store.GroupCommit: History writer failure",
                "2026-12-06T15:43:26.000 INFO dev.parley.room.RoomRegistry: Parley stopping: closing 0 connection(s)",
                "Exception in thread \"main\" java.lang.IllegalStateException");
        assertEquals(List.of(log.subList(1, 4), log.subList(5, 7), log.subList(7, 8), log.subList(8, 10)),
                problems(log));
    }

    private static final Pattern RECORD = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (\\w+) ");

    /**
     * The log's records at WARNING or SEVERE or with more than one line (a stack trace),
     * and anything printed that is not a record at all, each as its lines.
     */
    static List<List<String>> problems(List<String> lines) {
        List<List<String>> problems = new ArrayList<>();
        List<String> entry = null;
        boolean serious = false;
        for (String line : lines) {
            Matcher record = RECORD.matcher(line);
            boolean isRecord = record.find();
            if (isRecord || entry == null) {
                if (entry != null && (serious || entry.size() > 1)) {
                    problems.add(entry);
                }
                entry = new ArrayList<>();
                serious = !isRecord || record.group(1).equals("WARNING") || record.group(1).equals("SEVERE");
            }
            entry.add(line);
        }
        if (entry != null && (serious || entry.size() > 1)) {
            problems.add(entry);
        }
        return problems;
    }

    // ---- members for the whole soak ----

    /**
     * A member from before the first message to after the last: says something ten times a
     * second while the soak lasts (each with a cid, its ack awaited at the end, so that a slow
     * ack does not make it silent) and pings after it (so the idle check leaves it), and notes
     * the seq of every message of its room as it arrives.
     */
    private final class Member {
        private final String room;
        private final String name;
        private final ChatClient client;
        private final List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch lastAck = new CountDownLatch(1);
        private final CountDownLatch end = new CountDownLatch(1);
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile String failure;

        Member(String room, String name, URI uri) {
            this.room = room;
            this.name = name;
            this.client = ChatClient.join(uri, name);
        }

        void start() {
            pool.submit(this::send);
            pool.submit(this::read);
        }

        private void send() {
            try {
                int sent = 0;
                while (soaking()) {
                    sent++;
                    client.say("message " + sent + " from " + name, name + "-" + sent);
                    pause(100);
                }
                for (int i = 1; i <= sent; i++) {
                    client.awaitAck(name + "-" + i);
                    acked.get(room).incrementAndGet();
                    tally("message acknowledged");
                }
                lastAck.countDown();
                while (!finished.get()) {
                    client.send(ping());
                    pause(500);
                }
            } catch (RuntimeException | AssertionError e) {
                if (!finished.get()) {
                    failure = name + " in " + room + " could not send: " + e
                            + (e.getCause() == null ? "" : " (" + e.getCause() + ")");
                }
            } finally {
                lastAck.countDown();
            }
        }

        private void read() {
            try {
                while (!finished.get()) {
                    JsonObject frame = client.poll(Duration.ofMillis(200)).orElse(null);
                    if (frame != null && "message".equals(frame.getString("type"))) {
                        seqs.add(frame.getJsonNumber("seq").longValue());
                        if (END.equals(frame.getString("text"))) {
                            end.countDown();
                        }
                    }
                }
            } catch (RuntimeException | AssertionError e) {
                failure = name + " in " + room + " could not read: " + e;
            }
        }

        void awaitLastAck() throws InterruptedException {
            assertTrue(lastAck.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), name + " in " + room + " still sending");
        }

        void awaitEnd() throws InterruptedException {
            assertTrue(end.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), () -> name + " in " + room
                    + " did not receive the last message; " + (failure != null ? failure : "it received " + seqs.size()));
        }

        /** Every message of its room, 1 to the last, in seq order; at least as many as were acknowledged. */
        void assertReceivedItsRoomInOrder() {
            assertTrue(failure == null, failure);
            List<Long> received;
            synchronized (seqs) {
                received = List.copyOf(seqs);
            }
            for (int i = 0; i < received.size(); i++) {
                long expected = i + 1;
                long seq = received.get(i);
                assertEquals(expected, seq, () -> name + " in " + room + " received seq " + seq + " where "
                        + expected + " was due");
            }
            assertTrue(received.size() >= acked.get(room).get(), () -> name + " in " + room + " received "
                    + received.size() + " messages of " + acked.get(room).get() + " acknowledged");
        }

        void finish() {
            finished.set(true);
            lastAck.countDown();
        }
    }

    // ---- the traffic: each kind in rounds until the soak is over ----

    private interface Round {
        void run(int round) throws Exception;
    }

    /** Runs rounds of one kind of traffic until the soak is over, {@code pauseMillis} apart. */
    private Future<?> repeat(String kind, long pauseMillis, Round rounds) {
        return pool.submit(() -> {
            for (int i = 0; soaking(); i++) {
                int round = i;
                once(kind + " #" + i, () -> rounds.run(round));
                pause(pauseMillis);
            }
        });
    }

    private interface Action {
        void run() throws Exception;
    }

    private void once(String what, Action action) {
        try {
            action.run();
        } catch (Exception | AssertionError e) {
            surprises.add(what + ": " + e);
        }
    }

    /** A member joins a room, says something, and goes, a different way each round. */
    private void churn(int round) throws Exception {
        String room = ROOMS.get(round % ROOMS.size());
        URI uri = node.chatUri(room);
        String user = "churn-" + names.incrementAndGet();
        int way = round % 5;
        if (way == 2) {
            removedWhileSending(room, user);
        } else if (way == 3) { // a frame cut off in the middle: the connection ends with half of it sent
            try (RawConnection raw = RawConnection.upgraded(uri)) {
                raw.sendText(join(user));
                raw.readFrame();
                raw.sendHeader(true, 0x1, 1000);
                raw.send(new byte[100]);
            }
            tally("churn: cut mid-frame");
        } else if (way == 4) { // the connection reset without a close frame, the way a crashed client's is
            try (Wire wire = new Wire()) {
                wire.handshake(uri.getRawPath());
                wire.send(masked(0x1, join(user).getBytes(StandardCharsets.UTF_8)));
                wire.reset();
            }
            tally("churn: reset");
        } else {
            ChatClient member = ChatClient.join(uri, user);
            member.say("hello from " + user, "hi");
            member.awaitAck("hi");
            acked.get(room).incrementAndGet();
            tally("message acknowledged");
            if (way == 0) {
                member.closeNormally();
                tally("churn: closed");
            } else {
                member.abort();
                tally("churn: dropped");
            }
        }
        tally("churn");
    }

    /**
     * The admin view removes a member while its bytes are still arriving: pongs, as fast as
     * the socket takes them, which ask for no answer (pings would fill its queue with pongs
     * and make it a slow consumer first). The close is made on the admin API's thread, while
     * the selector reads the member's connection: the race of docs/CLEAN-LOG.md.
     */
    private void removedWhileSending(String room, String user) throws Exception {
        try (RawConnection member = RawConnection.upgraded(node.chatUri(room))) {
            member.sendText(join(user));
            member.readFrame(); // the welcome
            byte[] pongs = new byte[0];
            for (int i = 0; i < 50; i++) {
                pongs = concat(pongs, masked(0xA, new byte[8]));
            }
            byte[] burst = pongs;
            AtomicBoolean stop = new AtomicBoolean();
            Future<?> sending = pool.submit(() -> {
                try {
                    while (!stop.get()) {
                        member.send(burst);
                    }
                } catch (IOException closed) {
                    // the server closed the connection
                }
                return null;
            });
            HttpResponse<String> removed = admin("POST", "disconnect",
                    "{\"room\":\"" + room + "\",\"user\":\"" + user + "\"}", ADMIN_TOKEN);
            expect("churn: admin's disconnect", removed.statusCode() == 200, removed.body());
            String closed;
            try {
                RawConnection.Frame close = member.readUntilClose();
                closed = close.closeCode() + " " + close.closeReason();
            } catch (IOException reset) {
                // or a reset: the server closes the socket right after its close frame, and the
                // pongs still arriving make the kernel reset the connection, the frame with it
                closed = "1006";
            } finally {
                stop.set(true);
            }
            sending.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            expect("churn: removed by an administrator",
                    closed.equals("1008 removed by an administrator") || closed.equals("1006"), closed);
        }
    }

    /** A member over the HTTP transport joins, says something, and goes; and POSTs the transport refuses. */
    private void churnOverHttp(int round) throws Exception {
        String room = ROOMS.get(round % ROOMS.size());
        String user = "churn-http-" + names.incrementAndGet();
        ChatClient member = ChatClient.connect(stream(room));
        member.send(join(user));
        member.next("welcome");
        member.say("hello from " + user, "hi");
        member.awaitAck("hi");
        acked.get(room).incrementAndGet();
        tally("message acknowledged");
        URI frames = member.eventStream().frameUri();
        expectStatus("churn over HTTP: wrong content type", 415, send(HTTP11, HttpRequest.newBuilder(frames)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(ping()))));
        expectStatus("churn over HTTP: GET of a frame URI", 405, send(HTTP11, HttpRequest.newBuilder(frames).GET()));
        expectStatus("churn over HTTP: unknown id", 404, send(HTTP11, HttpRequest.newBuilder(
                URI.create(stream(room) + "/AAAA.AAAAAAAAAAAAAAAAAAAAAA")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ping()))));
        if (round % 2 == 0) {
            member.closeNormally(); // DELETE, then the close event
            tally("churn over HTTP: deleted");
        } else {
            member.abort(); // the stream's connection dropped
            tally("churn over HTTP: dropped");
        }
        tally("churn over HTTP");
    }

    /** A member that joins and says nothing more: the idle check closes it. */
    private void idleMember(int round) throws Exception {
        if (!soakingFor(IDLE_TIMEOUT.plusSeconds(1))) {
            pause(100);
            return;
        }
        List<ChatClient> idlers = new ArrayList<>();
        for (String room : ROOMS) {
            idlers.add(ChatClient.join(node.chatUri(room), "idler-" + names.incrementAndGet()));
        }
        for (ChatClient idler : idlers) {
            String closed = idler.awaitClose(IDLE_TIMEOUT.plus(WAIT)).map(Object::toString).orElse("still open");
            expect("idle member", closed.equals(new ChatClient.Closed(1000, "idle timeout").toString()), closed);
            idler.abort();
        }
    }

    /** The admin view closes a room with a member in it, a join is refused, and the room is reopened. */
    private void roomClosedAndReopened(int round) throws Exception {
        String room = "soak-closing";
        ChatClient member = ChatClient.join(node.chatUri(room), "closing-" + names.incrementAndGet());
        expectStatus("room closed: close", 200, admin("POST", "close-room", "{\"room\":\"" + room + "\"}", ADMIN_TOKEN));
        ChatClient.Closed closed = member.awaitClose();
        member.abort();
        expect("room closed: member closed", closed.code() == 1008 && closed.reason().equals("room closed"),
                closed.toString());
        try (ChatClient late = ChatClient.connect(node.chatUri(room))) {
            late.send(join("late-" + names.incrementAndGet()));
            late.nextError("bad-room");
            expect("room closed: late join closed", late.awaitClose().code() == 1008, "");
        }
        expectStatus("room closed: reopen", 200, admin("POST", "reopen-room", "{\"room\":\"" + room + "\"}",
                ADMIN_TOKEN));
        tally("room closed");
    }

    /** The page and its files, as a browser loads and revalidates them; HEAD, a Range, a file that is not there. */
    private void page(int round) throws Exception {
        HttpClient client = round % 3 == 2 ? H2C : HTTP11;
        HttpResponse<String> index = send(client, get(""));
        expectStatus("page: GET /", 200, index);
        String etag = index.headers().firstValue("ETag").orElse("none");
        expectStatus("page: If-None-Match", 304, send(client, get("").header("If-None-Match", etag)));
        for (String file : List.of("index.html", "app.js", "js/client/connection.js", "js/client/transport.js", "js/client/fallback.js",
                "style.css", "config.json", "favicon.svg", "admin/", "admin/admin.js")) {
            expectStatus("page: GET /" + file, 200, send(client, get(file)));
        }
        HttpResponse<String> head = send(client, HttpRequest.newBuilder(node.httpUri())
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        expect("page: HEAD /", head.statusCode() == 200 && head.body().isEmpty(), head.toString());
        HttpResponse<String> range = send(client, get("app.js").header("Range", "bytes=0-99"));
        expect("page: Range", range.statusCode() == 200 || range.statusCode() == 206, range.toString());
        expectStatus("page: not there", 404, send(client, get("no-such-file.js")));
        expectStatus("page: POST", 405, send(client, HttpRequest.newBuilder(node.httpUri())
                .POST(HttpRequest.BodyPublishers.ofString("x"))));
        expectStatus("page: /admin", 301, send(client, get("admin")));
        tally("page");
    }

    /** The admin view's page polling its API with the token, and requests the API refuses. */
    private void adminView(int round) throws Exception {
        expectStatus("admin view: stats", 200, admin("GET", "stats", null, ADMIN_TOKEN));
        expectStatus("admin view: rooms", 200, admin("GET", "rooms", null, ADMIN_TOKEN));
        switch (round % 6) {
            case 0 -> expectStatus("admin view: wrong token", 401, admin("GET", "rooms", null, "wrong-token-0123456789"));
            case 1 -> expectStatus("admin view: no token", 401, admin("GET", "stats", null, null));
            case 2 -> expectStatus("admin view: nobody", 404, admin("POST", "disconnect",
                    "{\"room\":\"soak-a\",\"user\":\"nobody\"}", ADMIN_TOKEN));
            case 3 -> expectStatus("admin view: bad body", 400, admin("POST", "disconnect", "{not json", ADMIN_TOKEN));
            case 4 -> expectStatus("admin view: h2c offered", 200, send(H2C, HttpRequest.newBuilder(
                    node.httpUri().resolve("admin/api/stats")).header("Authorization", "Bearer " + ADMIN_TOKEN).GET()));
            default -> { // refused while the client offers h2c; on a connection it took as HTTP/1.1 it offers no more
                HttpResponse<String> refused = send(H2C, HttpRequest.newBuilder(node.httpUri().resolve(
                        "admin/api/disconnect")).header("Authorization", "Bearer " + ADMIN_TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"soak-a\",\"user\":\"nobody\"}")));
                expect("admin view: POST offering h2c", refused.statusCode() == 400 || refused.statusCode() == 404,
                        refused.statusCode() + " " + refused.body());
            }
        }
        tally("admin view");
    }

    /** Prometheus scraping with and without its token, and the load balancer's health checks. */
    private void operator(int round) throws Exception {
        HttpClient client = round % 2 == 0 ? H2C : HTTP11;
        expectStatus("operator: scrape", 200, send(client, get("metrics").header("Authorization", "Bearer " + METRICS_TOKEN)));
        expectStatus("operator: scrape without the token", 401, send(client, get("metrics")));
        expectStatus("operator: scrape with a wrong token", 401, send(client, get("metrics")
                .header("Authorization", "Bearer wrong-token-0123456789")));
        expectStatus("operator: live", 200, send(client, get("health/live")));
        expectStatus("operator: ready", 200, send(client, get("health/ready")));
        expectStatus("operator: POST to health", 405, send(client, HttpRequest.newBuilder(
                node.httpUri().resolve("health/live")).POST(HttpRequest.BodyPublishers.noBody())));
        tally("operator");
    }

    /** Upgrades the server refuses: a bad version or key, a path that is no room, an origin, a room name. */
    private void refusedUpgrade(int round) throws Exception {
        String chat = node.chatUri("soak-a").getRawPath();
        expectHead("refused upgrade: version 8", "HTTP/1.1 426", handshake(chat, "Sec-WebSocket-Version: 8\r\n", true));
        expectHead("refused upgrade: no key", "HTTP/1.1 400", handshake(chat, "", false));
        expectHead("refused upgrade: bad key", "HTTP/1.1 400", handshake(chat, "Sec-WebSocket-Key: abc\r\n", false));
        expectHead("refused upgrade: no such path", "HTTP/1.1 404", handshake("/chat/a/b", "", true));
        try (ChatClient evil = ChatClient.connect(node.chatUri("soak-a"), Map.of("Origin", "http://evil.example"))) {
            ChatClient.Closed closed = evil.awaitClose();
            expect("refused upgrade: origin", closed.code() == 1008 && closed.reason().equals("origin not allowed"),
                    closed.toString());
        }
        try (ChatClient bad = ChatClient.connect(node.chatUri("Bad-Room"))) {
            bad.nextError("bad-room");
            expect("refused upgrade: bad room", bad.awaitClose().code() == 1008, "");
        }
        tally("refused upgrade");
    }

    /**
     * Frames no client should send: a binary frame, bad JSON and an unknown type are answered
     * with errors, then a frame over the limit closes with 1009, or an unmasked frame or a ping
     * over 125 bytes with 1002.
     */
    private void badFrames(int round) throws Exception {
        try (RawConnection raw = RawConnection.upgraded(node.chatUri("soak-frames"))) {
            raw.sendText(join("frames-" + names.incrementAndGet()));
            raw.readFrame(); // the welcome: frames sent before it would wait behind the join
            raw.sendFrame(true, 0x2, new byte[] {1, 2, 3}, true);
            raw.sendText("{not json");
            raw.sendText("{\"type\":\"nonsense\"}");
            List<String> errors = new ArrayList<>();
            while (errors.size() < 3) {
                JsonObject json = Json.createReader(new java.io.StringReader(
                        new String(raw.readFrame().payload(), StandardCharsets.UTF_8))).readObject();
                if ("error".equals(json.getString("type"))) {
                    errors.add(json.getString("code"));
                }
            }
            expect("bad frames: errors", errors.equals(List.of("bad-frame", "bad-json", "unknown-type")),
                    errors.toString());
            int closing = round % 3;
            switch (closing) {
                case 0 -> raw.sendHeader(true, 0x1, 1 << 20);
                case 1 -> raw.sendFrame(true, 0x1, "{}".getBytes(StandardCharsets.UTF_8), false);
                default -> raw.sendFrame(true, 0x9, new byte[200], true);
            }
            int code = raw.closeCode();
            expect("bad frames", code == (closing == 0 ? 1009 : 1002), "closed with " + code);
        }
    }

    /** Requests no browser sends; each gets an HTTP error or its connection closed, never a 500. */
    private void badRequest(int round) throws Exception {
        String room = node.chatUri("soak-a").getRawPath();
        List<String> requests = List.of(
                "GARBAGE\r\n\r\n",
                "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
                "GET / HTTP/1.1\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\n" + "X-Many: y\r\n".repeat(300) + "\r\n",
                "POST /sse/soak-a/x.y HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
                "POST /sse/soak-a/x.y HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
                "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n",
                "DELETE / HTTP/1.1\r\nHost: x\r\n\r\n",
                "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n",
                "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
                "PUT /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
                "GET /sse/soak-a/x/y HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET " + room + " HTTP/1.1\r\nHost: x\r\nUpgrade: nonsense\r\nConnection: Upgrade\r\n\r\n",
                "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n");
        for (String request : requests) {
            try (Wire wire = new Wire()) {
                wire.send(request.getBytes(StandardCharsets.ISO_8859_1));
                String status = wire.statusLine();
                expect("bad request", !status.startsWith("HTTP/1.1 5") || status.startsWith("HTTP/1.1 505"),
                        status + " for " + firstLine(request));
            }
        }
    }

    /** Requests cut off by their clients: in the request line, in the headers, in the body, before the answer. */
    private void cutOff(int round) throws Exception {
        String stream = stream("soak-b").getRawPath();
        String post = "POST " + stream + "/AAAA.AAAAAAAAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"type\":";
        String adminPost = "POST /admin/api/disconnect HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN_TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"room\":";
        for (String cut : List.of("GET /app.j", "GET / HTTP/1.1\r\nHost: x\r\nAccept: te", post, adminPost)) {
            try (Wire wire = new Wire()) {
                wire.send(cut.getBytes(StandardCharsets.ISO_8859_1));
                if (round % 2 == 0) {
                    wire.reset();
                }
            }
            tally("cut off");
        }
        for (String whole : List.of("GET /app.js HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET " + stream + " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n",
                "GET /admin/api/rooms HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN_TOKEN + "\r\n\r\n")) {
            try (Wire wire = new Wire()) { // the answer goes to a connection reset meanwhile
                wire.send(whole.getBytes(StandardCharsets.ISO_8859_1));
                wire.reset();
            }
            tally("cut off");
        }
        try (Wire wire = new Wire()) { // a handshake, reset before the 101 is read
            wire.send(("GET " + node.chatUri("soak-c").getRawPath() + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key() + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            wire.reset();
        }
        tally("cut off");
    }

    /** A request, a handshake, and a keep-alive connection left half-sent or idle: the request timeout closes them. */
    private void leftHalfSent(int round) throws Exception {
        if (!soakingFor(REQUEST_TIMEOUT.plusSeconds(1))) {
            pause(100);
            return;
        }
        List<Wire> left = new ArrayList<>();
        try {
            for (String half : List.of("GET / HTTP/1.1\r\nHost: x\r\n",
                    "GET " + node.chatUri("soak-a").getRawPath() + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n",
                    "POST /admin/api/disconnect HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN_TOKEN
                            + "\r\nContent-Length: 50\r\n\r\n{")) {
                Wire wire = new Wire();
                left.add(wire);
                wire.send(half.getBytes(StandardCharsets.ISO_8859_1));
            }
            Wire idle = new Wire();
            left.add(idle);
            idle.send("GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            expectHead("left half-sent: keep-alive answer", "HTTP/1.1 200", idle.statusLine());
            for (Wire wire : left) {
                expect("left half-sent", wire.endsWithin(REQUEST_TIMEOUT.plus(WAIT)), "still open after the timeout");
            }
        } finally {
            for (Wire wire : left) {
                wire.close();
            }
        }
    }

    /**
     * A member that stops reading in a room where someone sends large messages: once its
     * queue is full the server closes it, 1008 "slow consumer", and the room hears it left.
     */
    private void slowConsumer() throws Exception {
        URI room = node.chatUri("soak-flood");
        String text = "€".repeat(2000);
        try (ChatClient sender = ChatClient.join(room, "sender");
             RawConnection stalled = RawConnection.stalled(room)) {
            stalled.sendText(join("stalled"));
            CountDownLatch left = new CountDownLatch(1);
            pool.submit(() -> { // it still sends, so that it is not closed as idle first
                while (left.getCount() > 0 && soaking()) {
                    stalled.sendText(ping());
                    pause(1000);
                }
                return null;
            });
            pool.submit(() -> { // the sender's own copies, and the news that the stalled member left
                while (left.getCount() > 0 && soaking()) {
                    sender.poll(Duration.ofMillis(200)).filter(frame -> "left".equals(frame.getString("type"))
                            && "stalled".equals(frame.getString("user"))).ifPresent(frame -> left.countDown());
                }
            });
            for (int i = 1; left.getCount() > 0 && soaking(); i++) {
                sender.say(text, "big-" + i);
                if (i % 10 == 0) {
                    sender.awaitAck("big-" + i);
                }
            }
            expect("slow consumer: left", left.getCount() == 0, "the stalled member was still in the room");
            expect("slow consumer", stalled.closeCode() == 1008, "not closed with 1008");
        }
    }

    // ---- helpers ----

    private boolean soaking() {
        return System.nanoTime() - soakEnds < 0;
    }

    private boolean soakingFor(Duration left) {
        return soakEnds - System.nanoTime() > left.toNanos();
    }

    /** Paces a round; nothing is asserted after it. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void tally(String what) {
        tally.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    private long count(String what) {
        LongAdder counted = tally.get(what);
        return counted == null ? 0 : counted.sum();
    }

    private void expect(String what, boolean ok, String detail) {
        if (ok) {
            tally(what);
        } else {
            surprises.add(what + ": " + detail);
        }
    }

    private void expectStatus(String what, int status, HttpResponse<String> response) {
        expect(what, response.statusCode() == status, "answered " + response.statusCode() + " " + response.body());
    }

    private void expectHead(String what, String start, String statusLine) {
        expect(what, statusLine.startsWith(start), statusLine);
    }

    private static double closes(Scrape scrape, int code, String reason) {
        return scrape.value("parley_closes_total{code=\"" + code + "\",reason=\"" + reason + "\"}");
    }

    private URI stream(String room) {
        return node.httpUri().resolve("sse/" + room);
    }

    private static String join(String user) {
        return Json.createObjectBuilder().add("type", "join").add("user", user).build().toString();
    }

    private static String ping() {
        return "{\"type\":\"ping\"}";
    }

    private static String firstLine(String request) {
        int end = request.indexOf('\r');
        return end < 0 ? request : request.substring(0, Math.min(end, 60));
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(node.httpUri().resolve(path)).GET();
    }

    private HttpResponse<String> admin(String method, String what, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.httpUri().resolve("admin/api/" + what))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(HTTP11, request);
    }

    /**
     * Sends once more if the connection was closed before any answer, as a browser does: the
     * server closes keep-alive connections idle for the request timeout.
     */
    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws Exception {
        HttpRequest built = request.timeout(WAIT).build();
        try {
            return client.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException stale) {
            return client.send(built, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A WebSocket handshake on a connection of its own; the status line of the answer. */
    private String handshake(String path, String extra, boolean withKey) throws IOException {
        try (Wire wire = new Wire()) {
            wire.send(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + (extra.contains("Version") ? "" : "Sec-WebSocket-Version: 13\r\n")
                    + (withKey ? "Sec-WebSocket-Key: " + key() + "\r\n" : "") + extra + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return wire.statusLine();
        }
    }

    private static String key() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** A masked frame, as a client sends it: short payloads only. */
    private static byte[] masked(int opcode, byte[] payload) {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        frame.write(0x80 | payload.length);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** A plain socket to the server, for what no HTTP client sends; it can be reset instead of closed. */
    private final class Wire implements AutoCloseable {
        private final Socket socket = new Socket();
        private final OutputStream out;
        private final InputStream in;

        Wire() throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", node.port()), (int) WAIT.toMillis());
            socket.setSoTimeout((int) WAIT.toMillis());
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Completes a handshake for {@code path}. */
        void handshake(String path) throws IOException {
            send(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key() + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            StringBuilder head = new StringBuilder();
            while (head.indexOf("\r\n\r\n") < 0) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("the handshake's answer ended early: " + head);
                }
                head.append((char) c);
            }
            if (!head.toString().startsWith("HTTP/1.1 101")) {
                throw new IOException("handshake refused: " + head);
            }
        }

        /** The first line of the answer; "closed" if the connection ends (or is reset) before one. */
        String statusLine() {
            StringBuilder line = new StringBuilder();
            try {
                for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                    line.append((char) c);
                }
            } catch (IOException e) {
                // reset
            }
            return line.isEmpty() ? "closed" : line.toString().strip();
        }

        /** Whether the server ends the connection within {@code wait}, reading (and dropping) what comes meanwhile. */
        boolean endsWithin(Duration wait) throws IOException {
            long deadline = System.nanoTime() + wait.toNanos();
            byte[] sink = new byte[4096];
            try {
                while (deadline - System.nanoTime() > 0) {
                    socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                    if (in.read(sink) < 0) {
                        return true;
                    }
                }
                return false;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }

        /** Ends the connection with a reset instead of a close. */
        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** What went otherwise than the docs promise, in the order it happened. */
    private static final class Surprises {
        private final ConcurrentLinkedQueue<String> items = new ConcurrentLinkedQueue<>();

        void add(String item) {
            items.add(item);
        }

        boolean isEmpty() {
            return items.isEmpty();
        }

        String text() {
            return items.stream().limit(50).collect(Collectors.joining("\n"));
        }
    }
}
