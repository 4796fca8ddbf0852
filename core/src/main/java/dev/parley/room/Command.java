package dev.parley.room;

import dev.parley.protocol.Inbound;
import dev.parley.protocol.ProtocolException;

/**
 * What a frame of one type does for the connection that sent it, once the connection
 * admitted it (size, rate limit) and found it allowed in its state. One class per frame
 * type, stateless, shared by every connection; {@link Commands} picks it.
 *
 * @param <F> the frame's record
 */
interface Command<F extends Inbound> {
    /**
     * Answers the frame.
     *
     * @throws ProtocolException the error frame the client gets instead
     */
    void run(Connection connection, F frame) throws ProtocolException;
}
