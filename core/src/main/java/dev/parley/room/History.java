package dev.parley.room;

import dev.parley.protocol.Inbound;
import dev.parley.protocol.InboundType;
import dev.parley.protocol.Outbound;
import dev.parley.protocol.ProtocolException;
import dev.parley.store.StoreException;

/** {@code history}: up to {@code limit} stored messages before {@code before}, oldest first. */
final class History implements Command<Inbound.History> {

    @Override
    public void run(Connection connection, Inbound.History request) throws ProtocolException {
        String room = connection.roomName();
        long before = request.before().orElse(Long.MAX_VALUE);
        try {
            connection.send(new Outbound.History(room, connection.chat().store().before(room, before, request.limit())));
        } catch (StoreException e) {
            throw Connection.unavailable(InboundType.HISTORY, null, e);
        }
    }
}
