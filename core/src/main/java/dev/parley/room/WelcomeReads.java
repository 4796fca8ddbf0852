package dev.parley.room;

import dev.parley.metrics.Meters;
import dev.parley.protocol.Logged;
import dev.parley.store.HistoryStore;
import dev.parley.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The store reads of a welcome, one at a time per room, each answering every join that
 * waited for it (a single flight): after a restart the members of a room come back within
 * a second or two, and each would read the same rows (docs/PERFORMANCE.md, step 2).
 *
 * <p>A join asks once it has entered the room, and from then the room holds what it
 * delivers for it: so a read that starts after the join asked covers all it must, and one
 * that started before may not. A join that asks while its room's read is under way waits
 * for the next one; the first of those who waited does it, on its own thread, for them all.
 *
 * <p>A recovery read starts at the lowest {@code since} of those it answers; each gets the
 * part after its own. Where that read finds the room not recoverable from the lowest (more
 * missed than the cap, or trimmed), the others read for themselves: a rare case, not worth
 * a second round. The reads' count is a metric ({@code parley.store.reads}, by kind).
 */
final class WelcomeReads {
    /** How long a join waits for a read others do: the store's own timeouts come first. */
    static final long WAIT_SECONDS = 30;

    private final HistoryStore store;
    private final Meters meters;
    private final ConcurrentHashMap<String, Flights> recoveries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Flights> newest = new ConcurrentHashMap<>();

    WelcomeReads(HistoryStore store, Meters meters) {
        this.store = store;
        this.meters = meters;
    }

    /** As {@link HistoryStore#after}: the stored frames after {@code since}, if all are there and no more than {@code cap}. */
    @SuppressWarnings("unchecked")
    Optional<List<Logged>> after(String room, long since, int cap) {
        return (Optional<List<Logged>>) fly(recoveries, room, since, batch -> {
            long lowest = batch.stream().mapToLong(waiter -> waiter.since).min().orElseThrow();
            Optional<List<Logged>> read = read("recovery", () -> store.after(room, lowest, cap));
            for (Waiter waiter : batch) {
                waiter.answer(read.isPresent() ? part(read.get(), lowest, waiter.since)
                        : waiter.since == lowest ? Optional.empty() : null); // null: reads for itself
            }
        }, () -> read("recovery", () -> store.after(room, since, cap)));
    }

    /**
     * As {@link HistoryStore#before} with no bound: the room's newest {@code limit} stored
     * frames. Joins share a read only if they ask the same limit (the flights are by both).
     */
    @SuppressWarnings("unchecked")
    List<Logged> newest(String room, int limit) {
        return (List<Logged>) fly(newest, room + '\n' + limit, limit, batch -> {
            List<Logged> read = read("newest", () -> store.before(room, Long.MAX_VALUE, limit));
            batch.forEach(waiter -> waiter.answer(read));
        }, () -> read("newest", () -> store.before(room, Long.MAX_VALUE, limit)));
    }

    /** Joins waiting for a recovery read of {@code room} that has not started (a test's view). */
    int waiting(String room) {
        return waiting(recoveries, room);
    }

    /** Joins waiting for a read of {@code room}'s newest frames that has not started (a test's view). */
    int waitingNewest(String room, int limit) {
        return waiting(newest, room + '\n' + limit);
    }

    private static int waiting(ConcurrentHashMap<String, Flights> map, String room) {
        Flights flights = map.get(room);
        if (flights == null) {
            return 0;
        }
        synchronized (flights) {
            return flights.next.size();
        }
    }

    /**
     * The frames after {@code since} of a recovery read from {@code lowest}: empty when the
     * join is past the room's newest (it cannot be recovered, as the store would say).
     */
    private static Optional<List<Logged>> part(List<Logged> read, long lowest, long since) {
        long newest = read.isEmpty() ? lowest : read.get(read.size() - 1).seq();
        if (since > newest) {
            return Optional.empty();
        }
        int from = 0;
        while (from < read.size() && read.get(from).seq() <= since) {
            from++;
        }
        return Optional.of(read.subList(from, read.size()));
    }

    private <T> T read(String kind, java.util.function.Supplier<T> read) {
        meters.storeRead(kind);
        return read.get();
    }

    /** One room's joins waiting for the next read, and whether one is under way. */
    private static final class Flights {
        List<Waiter> next = new ArrayList<>();
        boolean flying;
        boolean gone; // taken out of the map: a join that finds it makes a new one
    }

    private static final class Waiter {
        final long since;
        final CompletableFuture<Object> result = new CompletableFuture<>();
        /** Completed when the read before ended and this join does the next one. */
        final CompletableFuture<Object> lead = new CompletableFuture<>();

        Waiter(long since) {
            this.since = since;
        }

        void answer(Object answer) {
            result.complete(answer == null ? this : answer);
        }
    }

    private interface Batch {
        void answer(List<Waiter> batch);
    }

    /**
     * Waits for the next read of {@code key}'s (a room's) {@code flights} and returns its answer, doing
     * the read if it is this join's turn; {@code alone}: the read for one whom a batch could
     * not answer.
     */
    private Object fly(ConcurrentHashMap<String, Flights> map, String key, long since, Batch batch,
            java.util.function.Supplier<Object> alone) {
        Waiter me = new Waiter(since);
        boolean lead;
        while (true) {
            Flights flights = map.computeIfAbsent(key, k -> new Flights());
            synchronized (flights) {
                if (flights.gone) {
                    continue;
                }
                flights.next.add(me);
                lead = !flights.flying;
                flights.flying = true;
            }
            if (lead) {
                flight(map, key, flights, batch);
            }
            Object answer = await(me, map, key, flights, batch);
            return answer == me ? alone.get() : answer;
        }
    }

    private Object await(Waiter me, ConcurrentHashMap<String, Flights> map, String key, Flights flights, Batch batch) {
        try {
            CompletableFuture.anyOf(me.result, me.lead).get(WAIT_SECONDS, TimeUnit.SECONDS);
            if (!me.result.isDone()) { // the read before ended: this join does the next one, its own among them
                flight(map, key, flights, batch);
            }
            return me.result.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new StoreException("a welcome's read failed", e);
        } catch (TimeoutException e) {
            throw new StoreException("a welcome's read took over " + WAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a welcome's read", e);
        }
    }

    /** One read for the joins waiting now; then the next of those who came meanwhile leads, or the room is idle. */
    private void flight(ConcurrentHashMap<String, Flights> map, String key, Flights flights, Batch batch) {
        List<Waiter> taken;
        synchronized (flights) {
            taken = flights.next;
            flights.next = new ArrayList<>();
        }
        try {
            batch.answer(taken);
        } catch (RuntimeException e) {
            taken.forEach(waiter -> waiter.result.completeExceptionally(e));
        } finally {
            Waiter leader = null;
            synchronized (flights) {
                if (flights.next.isEmpty()) {
                    flights.flying = false;
                    flights.gone = true;
                    map.remove(key, flights);
                } else {
                    leader = flights.next.get(0);
                }
            }
            if (leader != null) {
                leader.lead.complete(null);
            }
        }
    }
}
