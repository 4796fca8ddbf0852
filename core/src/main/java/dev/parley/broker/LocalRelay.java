package dev.parley.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One node alone: no other node holds a connection, so nothing is forwarded, and nothing comes. */
public final class LocalRelay implements Relay {

    /** No such node: 404 at once. */
    @Override
    public CompletionStage<Integer> forward(String node, Forward request) {
        return CompletableFuture.completedFuture(404);
    }

    @Override
    public void answerForwarded(Forwarded answerer) {
        // nobody forwards to this node
    }
}
