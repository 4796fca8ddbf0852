package dev.parley.broker;

/**
 * An event as it travels between nodes: a header line
 * {@code <kind>,<seq>,<length of user>,<origin node>}, then the user and the frame. The
 * frame goes on as the clients get it, so it is encoded once, by the node it came from.
 */
final class BrokerWire {
    record Received(String origin, Event event) {
    }

    private BrokerWire() {
    }

    static String write(String origin, Event event) {
        return new StringBuilder(event.frame().length() + event.user().length() + origin.length() + 32)
                .append(event.kind().code).append(',').append(event.seq()).append(',').append(event.user().length())
                .append(',').append(origin).append('\n').append(event.user()).append(event.frame()).toString();
    }

    /** @throws IllegalArgumentException (or another RuntimeException) if it is not an event */
    static Received read(String payload) {
        int newline = payload.indexOf('\n');
        String[] header = payload.substring(0, newline).split(",", 4);
        if (header.length != 4 || header[0].length() != 1) {
            throw new IllegalArgumentException("not an event header: " + header.length + " fields");
        }
        Event.Kind kind = Event.Kind.of(header[0].charAt(0));
        long seq = Long.parseLong(header[1]);
        int userLength = Integer.parseInt(header[2]);
        int userStart = newline + 1;
        String user = payload.substring(userStart, userStart + userLength);
        String frame = payload.substring(userStart + userLength);
        return new Received(header[3], new Event(kind, seq, user, frame));
    }
}
