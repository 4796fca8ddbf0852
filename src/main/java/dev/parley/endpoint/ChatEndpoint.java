package dev.parley.endpoint;

import dev.parley.room.Connection;
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
 * so {@link #connection} is this connection's own; the {@link RoomRegistry} opens it and
 * it decides what each frame does.
 */
@ServerEndpoint(value = "/chat/{room}", configurator = ChatHandshake.class)
public class ChatEndpoint {

    @Inject
    RoomRegistry registry;

    private Connection connection;

    @OnOpen
    public void open(Session session, @PathParam("room") String room) {
        connection = registry.open(session, room);
    }

    @OnMessage
    public void text(String frame) {
        connection.receive(frame);
    }

    @OnMessage
    public void binary(ByteBuffer frame) {
        connection.receiveBinary(frame.remaining());
    }

    @OnClose
    public void close(CloseReason reason) {
        if (connection != null) {
            connection.closed(reason);
        }
    }

    @OnError
    public void error(Session session, Throwable failure) {
        registry.failed(session, connection, failure);
    }
}
