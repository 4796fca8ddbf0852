package dev.parley.room;

import dev.parley.broker.BrokerException;
import dev.parley.identity.Identity;
import dev.parley.protocol.Inbound;
import dev.parley.protocol.InboundType;
import dev.parley.protocol.Outbound;
import dev.parley.protocol.ProtocolException;
import dev.parley.store.HistoryStore;
import dev.parley.store.StoreException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rooms}: the rooms with members on every node; with identity on, only those the
 * token may join. Each with its newest seq and what the asking user has not read there (1.1).
 */
final class ListRooms implements Command<Inbound.Rooms> {

    @Override
    public void run(Connection connection, Inbound.Rooms asked) throws ProtocolException {
        List<Outbound.RoomCount> rooms;
        try {
            rooms = connection.chat().broker().occupancy();
        } catch (BrokerException e) {
            throw Connection.unavailable(InboundType.ROOMS, null, e);
        }
        Identity who = connection.membership().identity();
        if (who != null) {
            rooms = rooms.stream().filter(r -> who.rooms().allows(r.room())).toList();
        }
        List<Outbound.RoomCount> reading = new ArrayList<>(rooms.size());
        try {
            for (Outbound.RoomCount room : rooms) {
                HistoryStore.ReadState state = connection.chat().store().readState(room.room(), connection.name());
                reading.add(room.withReading(state.last(), state.unread()));
            }
        } catch (StoreException e) {
            throw Connection.unavailable(InboundType.ROOMS, null, e);
        }
        connection.send(new Outbound.Rooms(reading));
    }
}
