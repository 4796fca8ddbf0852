package dev.parley.room;

import dev.parley.broker.Broker;
import dev.parley.broker.BrokerException;
import dev.parley.protocol.Inbound;
import dev.parley.protocol.InboundType;
import dev.parley.protocol.Outbound;
import dev.parley.protocol.ProtocolException;

/**
 * {@code members} (Parley's addition): a page of the room's names on every node, for a
 * large room's member list, whose {@code welcome} names only the first page.
 */
final class ListMembers implements Command<Inbound.Members> {

    @Override
    public void run(Connection connection, Inbound.Members asked) throws ProtocolException {
        Broker.Names names;
        try {
            names = connection.chat().broker().members(connection.roomName(), asked.after(), asked.limit());
        } catch (BrokerException e) {
            throw Connection.unavailable(InboundType.MEMBERS, null, e);
        }
        connection.send(new Outbound.Members(connection.roomName(), names.users(), names.count(), names.more()));
    }
}
