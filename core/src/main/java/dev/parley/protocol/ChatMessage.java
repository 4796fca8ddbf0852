package dev.parley.protocol;

import java.time.Instant;

/**
 * A stored chat message, and the {@code message} frame that carries it: the history
 * store keeps these, and welcome and history replies send them back exactly as they
 * were broadcast, because the same encoder writes them.
 */
public record ChatMessage(String room, long seq, String user, String text, Instant ts) implements Outbound {
}
