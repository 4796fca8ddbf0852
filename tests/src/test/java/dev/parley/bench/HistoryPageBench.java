package dev.parley.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.store.Append;
import dev.parley.store.HistoryStore;
import dev.parley.store.JdbcHistoryStore;
import dev.parley.store.MemoryHistoryStore;
import dev.parley.support.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a page of history costs over a room of plain messages, and over one where the
 * same messages were edited and reacted to (protocol 1.1): a page, and a recovering
 * welcome's read, should cost what the page holds, not what the room went through. Prints
 * microseconds per page for each store; judges nothing (docs/BENCHMARKS.md).
 *
 * <pre>
 * mvn -o -q test-compile -pl tests -am
 * mvn -o -q dependency:build-classpath -pl tests -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp core/target/classes:tests/target/test-classes:$(cat /tmp/cp.txt) dev.parley.bench.HistoryPageBench
 * </pre>
 */
public final class HistoryPageBench {
    private static final int MESSAGES = 5_000;
    private static final int PAGE = 50;
    private static final int WARM = 300;
    private static final int TIMED = 1_000;

    private HistoryPageBench() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("%-12s %-42s %12s %12s%n", "store", "room", "newest page", "recovery");
        run("memory", new MemoryHistoryStore(0, 512L * 1024 * 1024));
        try (HikariDataSource h2 = new HikariDataSource()) {
            h2.setJdbcUrl("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
            run("h2", new JdbcHistoryStore(h2, 0));
        }
        try (TestDatabase own = TestDatabase.create(); HikariDataSource pg = new HikariDataSource()) {
            pg.setJdbcUrl(own.jdbcUrl());
            pg.setUsername(own.user());
            run("postgresql", new JdbcHistoryStore(pg, 0));
        }
        System.exit(0);
    }

    private static void run(String name, HistoryStore store) throws Exception {
        fill(store, "plain", false);
        fill(store, "edited", true);
        for (String room : List.of("plain", "edited")) {
            String label = room.equals("plain") ? MESSAGES + " messages" : MESSAGES + " messages, each edited, 2 reactions";
            long last = store.lastSeq(room);
            double page = time(() -> store.before(room, Long.MAX_VALUE, PAGE));
            double recovery = time(() -> store.after(room, last - PAGE, 1000));
            System.out.printf("%-12s %-42s %9.1f µs %9.1f µs%n", name, label, page, recovery);
        }
        store.close();
    }

    /** The room: messages, and in the edited one each message's edit and two reactions right after it. */
    private static void fill(HistoryStore store, String room, boolean changes) throws Exception {
        Instant ts = Instant.now();
        CompletableFuture<?> last = null;
        long seq = 0;
        for (int i = 0; i < MESSAGES; i++) {
            store.append(room, Append.message("ann", "message number " + i + " with some words", null, 0, ts))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            long message = ++seq;
            if (changes) {
                last = store.append(room, Append.edit("ann", message, "message number " + i + ", edited", null, ts))
                        .toCompletableFuture();
                store.append(room, Append.react("bob", message, "👍", true, null, ts));
                last = store.append(room, Append.react("cy", message, "🎉", true, null, ts)).toCompletableFuture();
                seq += 3;
            }
        }
        if (last != null) {
            last.get(60, TimeUnit.SECONDS);
        }
    }

    private static double time(Runnable read) {
        for (int i = 0; i < WARM; i++) {
            read.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < TIMED; i++) {
            read.run();
        }
        return (System.nanoTime() - start) / 1000.0 / TIMED;
    }
}
