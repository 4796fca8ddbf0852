package dev.parley.room;

import dev.parley.broker.Broker;
import dev.parley.config.ParleyConfig;
import dev.parley.identity.Tokens;
import dev.parley.metrics.Meters;
import dev.parley.protocol.InboundDecoder;
import dev.parley.protocol.OutboundEncoder;
import dev.parley.store.HistoryStore;
import jakarta.json.spi.JsonProvider;

/**
 * What every connection and room of this node shares: the settings, the store, the
 * broker, the meters, the tokens, the codecs, the threads and the welcomes' reads. Made once by the
 * {@link RoomRegistry} (a test makes its own over a memory store and a local broker) and
 * handed to each {@link Connection} and {@link Room}; nothing in this package looks a
 * bean up.
 */
record Chat(ParleyConfig config, HistoryStore store, Broker broker, Meters meters, Tokens tokens,
        InboundDecoder decoder, OutboundEncoder encoder, ChatThreads threads, WelcomeReads welcomeReads) {

    /** How many stored messages a plain welcome carries. */
    static final int WELCOME_HISTORY = 50;

    static Chat of(ParleyConfig config, HistoryStore store, Broker broker, Meters meters, Tokens tokens) {
        return new Chat(config, store, broker, meters, tokens,
                new InboundDecoder(JsonProvider.provider(), tokens.enabled()), new OutboundEncoder(), new ChatThreads(),
                new WelcomeReads(store, meters));
    }
}
