package dev.parley.room;

import static dev.parley.protocol.ErrorCode.UNAUTHORIZED;

import dev.parley.identity.Identity;
import dev.parley.identity.TokenException;
import dev.parley.protocol.Inbound;
import dev.parley.protocol.InboundType;
import dev.parley.protocol.Outbound;
import dev.parley.protocol.ProtocolException;

/**
 * {@code auth}: a fresh token for this connection. It must name the same user and allow
 * this room; from then on the connection lasts until it expires. A refused one changes
 * nothing.
 */
final class Auth implements Command<Inbound.Auth> {

    @Override
    public void run(Connection connection, Inbound.Auth auth) throws ProtocolException {
        if (!connection.chat().tokens().enabled()) {
            throw new ProtocolException(UNAUTHORIZED, "This server takes no tokens: users name themselves.",
                    InboundType.AUTH, auth.cid());
        }
        Identity fresh = identify(connection, auth.token(), InboundType.AUTH, auth.cid());
        if (!fresh.user().equals(connection.name())) {
            throw new ProtocolException(UNAUTHORIZED, "The token names another user than this connection's.",
                    InboundType.AUTH, auth.cid());
        }
        connection.membership().identity(fresh);
        connection.send(new Outbound.AuthAck(auth.cid(), fresh.expires()));
    }

    /** The identity a token gives, if it may be in the connection's room; else unauthorized. */
    static Identity identify(Connection connection, String token, InboundType type, String cid)
            throws ProtocolException {
        Identity verified;
        try {
            verified = connection.chat().tokens().verify(token);
        } catch (TokenException e) {
            throw new ProtocolException(UNAUTHORIZED, e.getMessage(), type, cid);
        }
        if (!verified.rooms().allows(connection.roomName())) {
            throw new ProtocolException(UNAUTHORIZED, "Your token does not let you into this room.", type, cid);
        }
        return verified;
    }
}
