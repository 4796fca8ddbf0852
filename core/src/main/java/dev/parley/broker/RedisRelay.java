package dev.parley.broker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link Relay} of a cluster, through the connections of its {@link RedisBroker} (which
 * makes it): each node listens on its own channel, {@code P:node:<id>}, for the requests of
 * the others ({@code q <n> <from> <kind> <connection> <room>}, a line break, the frame) and
 * for the answers to its own ({@code r <n> <status>}).
 */
final class RedisRelay implements Relay {
    private static final Logger LOG = Logger.getLogger(RedisBroker.class.getName());
    /** At most this many forwarded requests of this node wait for answers; beyond it a request fails at once. */
    private static final int MAX_FORWARDING = 10_000;
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);

    private final RedisLink link;
    private final String prefix;
    private final String node;
    private volatile Forwarded forwarded;
    /** Forwarded requests of this node waiting for their answers, by correlation number; bounded. */
    private final Map<Long, CompletableFuture<Integer>> forwarding = new ConcurrentHashMap<>();
    private final AtomicLong correlations = new AtomicLong();

    RedisRelay(RedisLink link, String prefix, String node) {
        this.link = link;
        this.prefix = prefix;
        this.node = node;
    }

    /** The channel of node {@code id}, where the requests for it and the answers to it go. */
    static String channel(String prefix, String id) {
        return prefix + ":node:" + id;
    }

    @Override
    public void answerForwarded(Forwarded answerer) {
        this.forwarded = answerer;
    }

    /** Publishes the request on the holding node's channel. Nobody listening there: 404 at once. */
    @Override
    public CompletionStage<Integer> forward(String to, Forward request) {
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        if (link.away() || forwarding.size() >= MAX_FORWARDING) {
            answer.completeExceptionally(new BrokerException("cannot forward now: Redis is away or too many requests wait", null));
            return answer;
        }
        long n = correlations.incrementAndGet();
        forwarding.put(n, answer);
        answer.orTimeout(FORWARD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((status, e) -> forwarding.remove(n));
        String payload = "q " + n + " " + node + " " + request.kind() + " " + request.connection() + " " + request.room()
                + "\n" + request.frame();
        link.async().publish(channel(prefix, to), payload).whenComplete((listeners, e) -> {
            if (e != null) {
                answer.completeExceptionally(e);
            } else if (listeners == 0) {
                answer.complete(404); // no such node (any more)
            }
        });
        return answer;
    }

    /** A message on this node's channel. */
    void received(String payload) {
        try {
            forwardedHere(payload);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Ignoring a forwarded request that is not Parley's", e);
        }
    }

    /** A request another node forwarded here, answered on its channel; or the answer to one of ours. */
    private void forwardedHere(String payload) {
        int line = payload.indexOf('\n');
        String[] head = (line < 0 ? payload : payload.substring(0, line)).split(" ");
        if (head.length == 3 && head[0].equals("r")) {
            CompletableFuture<Integer> answer = forwarding.remove(Long.parseLong(head[1]));
            if (answer != null) {
                answer.complete(Integer.parseInt(head[2]));
            }
            return;
        }
        Forwarded answerer = forwarded;
        if (head.length != 6 || !head[0].equals("q") || head[3].length() != 1 || line < 0 || answerer == null) {
            throw new IllegalArgumentException("not a forwarded request");
        }
        int status = answerer.answer(new Forward(head[3].charAt(0), head[4], head[5], payload.substring(line + 1)));
        link.async().publish(channel(prefix, head[2]), "r " + head[1] + " " + status);
    }
}
