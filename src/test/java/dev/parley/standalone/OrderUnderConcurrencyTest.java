package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.ChatClient;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many senders at once: every member still sees the room's messages in seq order, with no gap. */
class OrderUnderConcurrencyTest {
    private static final int CLIENTS = 50;
    private static final int MESSAGES_EACH = 100;

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();

    @Test
    void fiftyClientsSendingAHundredEachAllReceiveFiveThousandInSeqOrder() throws Exception {
        URI room = SERVER.chatUri(Rooms.fresh());
        List<ChatClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(ChatClient.join(room, "user" + i));
            }
            List<Future<?>> sending = new ArrayList<>();
            for (ChatClient client : clients) {
                sending.add(pool.submit(() -> {
                    for (int m = 0; m < MESSAGES_EACH; m++) {
                        client.say("message " + m);
                    }
                }));
            }
            List<Future<List<Long>>> receiving = new ArrayList<>();
            for (ChatClient client : clients) {
                receiving.add(pool.submit(() -> {
                    List<Long> seqs = new ArrayList<>(CLIENTS * MESSAGES_EACH);
                    while (seqs.size() < CLIENTS * MESSAGES_EACH) {
                        seqs.add(client.nextOf("message").getJsonNumber("seq").longValue());
                    }
                    return seqs;
                }));
            }
            for (Future<?> f : sending) {
                f.get();
            }
            List<Long> expected = new ArrayList<>();
            for (long s = 1; s <= CLIENTS * MESSAGES_EACH; s++) {
                expected.add(s);
            }
            for (int i = 0; i < CLIENTS; i++) {
                assertEquals(expected, receiving.get(i).get(), "user" + i + " saw a gap or a reordering");
            }
        } finally {
            pool.shutdownNow();
            clients.forEach(ChatClient::close);
        }
    }
}
