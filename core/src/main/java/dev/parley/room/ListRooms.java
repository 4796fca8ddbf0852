package dev.parley.room;

import dev.parley.broker.BrokerException;
import dev.parley.identity.Identity;
import dev.parley.protocol.Inbound;
import dev.parley.protocol.InboundType;
import dev.parley.protocol.Outbound;
import dev.parley.protocol.ProtocolException;
import java.util.List;

/** {@code rooms}: the rooms with members on every node; with identity on, only those the token may join. */
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
        connection.send(new Outbound.Rooms(rooms));
    }
}
