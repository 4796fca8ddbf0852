package dev.parley.client;

import jakarta.json.JsonObject;

/**
 * What a client hears, each on the client's own thread, one at a time and in the order the
 * server sent it: frames as the server sent them (PROTOCOL.md says their members). Every
 * method does nothing unless overridden. A listener that throws is logged and the client
 * goes on; a listener that blocks holds up the client, so hand long work to another thread.
 *
 * <p>The room's stored frames ({@code message}, {@code edit}, {@code delete}, {@code react})
 * come once each, in seq order, also those a reconnect recovered. The first welcome's
 * history is not replayed: it is in {@link #onWelcome}'s frame.
 */
public interface Listener {
    default void onWelcome(JsonObject welcome) {
    }

    default void onMessage(JsonObject message) {
    }

    default void onEdit(JsonObject edit) {
    }

    default void onDelete(JsonObject delete) {
    }

    default void onReact(JsonObject react) {
    }

    default void onRead(JsonObject read) {
    }

    default void onJoined(JsonObject joined) {
    }

    default void onLeft(JsonObject left) {
    }

    /**
     * A large room's coalesced presence (PROTOCOL.md, "Large rooms"), instead of
     * {@link #onJoined} and {@link #onLeft}, at most once a second: {@code count}, the names in
     * {@code joined} and {@code left}, and {@code more}, the changes no list names.
     */
    default void onPresence(JsonObject presence) {
    }

    default void onTyping(JsonObject typing) {
    }

    default void onDirect(JsonObject direct) {
    }

    default void onRooms(JsonObject rooms) {
    }

    /** The state changed, or the transport in use did ({@code transport} null while none is open). */
    default void onState(State state, Transport transport) {
    }

    /** An error frame that answers nothing this client waits for, or a refusal. */
    default void onError(ParleyException error) {
    }
}
