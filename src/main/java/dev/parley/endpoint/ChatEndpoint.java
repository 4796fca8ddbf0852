package dev.parley.endpoint;

import dev.parley.room.Member;
import dev.parley.room.RoomRegistry;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;

/**
 * The chat socket: lifecycle only. One instance per connection (the WebSocket default),
 * so {@link #member} is this connection's own state; every decision is the
 * {@link RoomRegistry}'s.
 */
@ServerEndpoint(value = "/chat/{room}", configurator = ChatHandshake.class)
public class ChatEndpoint {

    @Inject
    RoomRegistry registry;

    private Member member;

    @OnOpen
    public void open(Session session, @PathParam("room") String room) {
        member = registry.open(session, room);
    }

    @OnMessage
    public void text(String frame) {
        registry.receive(member, frame);
    }

    @OnMessage
    public void binary(ByteBuffer frame) {
        registry.receiveBinary(member, frame.remaining());
    }

    @OnClose
    public void close(CloseReason reason) {
        if (member != null) {
            registry.closed(member, reason);
        }
    }

    @OnError
    public void error(Session session, Throwable failure) {
        registry.failed(session, member, failure);
    }
}
