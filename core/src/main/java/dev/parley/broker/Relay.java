package dev.parley.broker;

import java.util.concurrent.CompletionStage;

/**
 * Hands a request of the HTTP transport to the node that holds its connection: a
 * {@code POST} or {@code DELETE} may reach any node (no sticky sessions), the event stream
 * it is for is open on one. {@link LocalRelay} is one node alone, with nothing to forward
 * to; {@link RedisRelay} goes through the cluster's Redis, beside the {@link RedisBroker}.
 */
public interface Relay {

    /**
     * Hands {@code request} to {@code node}, which holds the connection it names. The stage
     * completes with the status the holding node answered (its {@link Forwarded}'s), with
     * 404 if no such node is listening, or fails after the relay's timeout. One node
     * alone: 404 at once.
     */
    CompletionStage<Integer> forward(String node, Forward request);

    /** Who answers the requests other nodes forward to this one; set once. */
    void answerForwarded(Forwarded answerer);

    /**
     * A request of the HTTP transport for a connection held by another node.
     *
     * @param kind       {@code F} a frame, {@code B} a frame too big to forward (1009), {@code D} a DELETE
     * @param connection the connection's id
     * @param room       the room in the request's path
     * @param frame      the frame, for {@code F}; else empty
     */
    record Forward(char kind, String connection, String room, String frame) {
    }

    /** Answers a forwarded request on the node that holds its connection: the HTTP status. */
    interface Forwarded {
        int answer(Forward request);
    }
}
