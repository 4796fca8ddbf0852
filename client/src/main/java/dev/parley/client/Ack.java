package dev.parley.client;

/**
 * The server took a frame: the {@code seq} it stored it under (0 when it stored nothing, as
 * for a reaction the user already had), and whether it was a resend of one stored before
 * ({@code dup}, protocol 1.1): either way it is stored once.
 */
public record Ack(long seq, boolean dup) {
}
