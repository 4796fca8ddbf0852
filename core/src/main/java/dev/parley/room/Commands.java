package dev.parley.room;

import dev.parley.protocol.Inbound;
import dev.parley.protocol.ProtocolException;

/** Which {@link Command} answers each inbound frame: a new frame type is one more line here. */
final class Commands {
    private static final Join JOIN = new Join();
    private static final Post POST = new Post();
    private static final Typing TYPING = new Typing();
    private static final Ping PING = new Ping();
    private static final Direct DIRECT = new Direct();
    private static final History HISTORY = new History();
    private static final ListRooms ROOMS = new ListRooms();
    private static final ListMembers MEMBERS = new ListMembers();
    private static final Auth AUTH = new Auth();
    private static final Read READ = new Read();
    private static final Moderate MODERATE = new Moderate();

    private Commands() {
    }

    static void run(Connection connection, Inbound inbound) throws ProtocolException {
        if (inbound instanceof Inbound.Change change) {
            POST.run(connection, change);
        } else if (inbound instanceof Inbound.Typing typing) {
            TYPING.run(connection, typing);
        } else if (inbound instanceof Inbound.Ping ping) {
            PING.run(connection, ping);
        } else if (inbound instanceof Inbound.Join join) {
            JOIN.run(connection, join);
        } else if (inbound instanceof Inbound.Direct direct) {
            DIRECT.run(connection, direct);
        } else if (inbound instanceof Inbound.History history) {
            HISTORY.run(connection, history);
        } else if (inbound instanceof Inbound.Rooms rooms) {
            ROOMS.run(connection, rooms);
        } else if (inbound instanceof Inbound.Members members) {
            MEMBERS.run(connection, members);
        } else if (inbound instanceof Inbound.Moderate moderate) {
            MODERATE.run(connection, moderate);
        } else if (inbound instanceof Inbound.Read read) {
            READ.run(connection, read);
        } else if (inbound instanceof Inbound.Auth auth) {
            AUTH.run(connection, auth);
        } else {
            throw new IllegalStateException("no command for " + inbound);
        }
    }
}
