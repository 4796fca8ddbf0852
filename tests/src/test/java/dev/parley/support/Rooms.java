package dev.parley.support;

import java.util.concurrent.atomic.AtomicInteger;

/** Fresh room names, so tests sharing a server never see each other. */
public final class Rooms {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);

    private Rooms() {
    }

    public static String fresh() {
        return "t" + RUN + "-" + NEXT.incrementAndGet();
    }
}
