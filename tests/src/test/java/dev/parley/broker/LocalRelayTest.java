package dev.parley.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LocalRelayTest {

    @Test
    void oneNodeAloneHasNoOtherNodeSoARequestForOneIsAnswered404AtOnce() {
        CompletableFuture<Integer> status = new LocalRelay()
                .forward("node-2", new Relay.Forward('F', "bm9kZS0y.AAAAAAAAAAAAAAAAAAAAAA", "lobby", "{}"))
                .toCompletableFuture();
        assertEquals(404, status.getNow(null));
    }
}
