package dev.parley.store;

import dev.parley.protocol.ChatMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps the newest {@code keep} messages of each room in memory; gone at restart. */
public final class MemoryHistoryStore implements HistoryStore {
    private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

    private final int keep;
    private final ConcurrentHashMap<String, RoomLog> rooms = new ConcurrentHashMap<>();

    /** @param keep messages kept per room; 0 keeps all */
    public MemoryHistoryStore(int keep) {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must not be negative");
        }
        this.keep = keep == 0 ? Integer.MAX_VALUE : keep;
    }

    @Override
    public long lastSeq(String room) {
        RoomLog log = rooms.get(room);
        return log == null ? 0 : log.lastSeq();
    }

    @Override
    public CompletionStage<Void> append(ChatMessage message) {
        try {
            rooms.computeIfAbsent(message.room(), name -> new RoomLog(keep)).append(message);
            return DONE;
        } catch (IllegalStateException outOfSequence) {
            return CompletableFuture.failedStage(new StoreException(outOfSequence.getMessage()));
        }
    }

    @Override
    public List<ChatMessage> before(String room, long before, int limit) {
        RoomLog log = rooms.get(room);
        return log == null ? List.of() : log.before(before, limit);
    }

    @Override
    public Optional<List<ChatMessage>> after(String room, long since, int max) {
        RoomLog log = rooms.get(room);
        if (log == null) {
            return since == 0 ? Optional.of(List.of()) : Optional.empty();
        }
        return log.after(since, max);
    }

    @Override
    public String describe() {
        return "memory (" + (keep == Integer.MAX_VALUE ? "every message" : keep + " messages per room") + ")";
    }

    /** A ring of one room's newest messages; seqs in it are contiguous. */
    private static final class RoomLog {
        private final int keep;
        private ChatMessage[] ring = new ChatMessage[16];
        private int head;
        private int size;

        RoomLog(int keep) {
            this.keep = keep;
        }

        synchronized void append(ChatMessage message) {
            if (size > 0 && message.seq() != get(size - 1).seq() + 1) {
                throw new IllegalStateException("seq " + message.seq() + " does not follow " + get(size - 1).seq());
            }
            if (size == ring.length && size < keep) {
                grow();
            }
            if (size == ring.length) {
                ring[head] = message;
                head = (head + 1) % ring.length;
            } else {
                ring[(head + size) % ring.length] = message;
                size++;
            }
        }

        synchronized long lastSeq() {
            return size == 0 ? 0 : get(size - 1).seq();
        }

        synchronized List<ChatMessage> before(long before, int limit) {
            if (size == 0) {
                return List.of();
            }
            long first = get(0).seq();
            int end = (int) Math.max(0, Math.min(size, before - first)); // exclusive index
            int start = Math.max(0, end - limit);
            return copy(start, end);
        }

        synchronized Optional<List<ChatMessage>> after(long since, int max) {
            long last = size == 0 ? 0 : get(size - 1).seq();
            if (since > last || last - since > max) {
                return Optional.empty();
            }
            long first = size == 0 ? last + 1 : get(0).seq();
            if (since + 1 < first) {
                return Optional.empty();
            }
            return Optional.of(copy((int) (since + 1 - first), size));
        }

        private ChatMessage get(int index) {
            return ring[(head + index) % ring.length];
        }

        private List<ChatMessage> copy(int start, int end) {
            ChatMessage[] out = new ChatMessage[end - start];
            for (int i = start; i < end; i++) {
                out[i - start] = get(i);
            }
            return List.of(out);
        }

        private void grow() {
            ChatMessage[] bigger = new ChatMessage[(int) Math.min(keep, 2L * ring.length)];
            for (int i = 0; i < size; i++) {
                bigger[i] = get(i);
            }
            ring = bigger;
            head = 0;
        }
    }
}
