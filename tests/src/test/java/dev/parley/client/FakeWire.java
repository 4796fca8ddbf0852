package dev.parley.client;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** A wire the test drives: it opens, receives and closes when told, and keeps what was sent. */
final class FakeWire implements Wire {
    final Transport kind;
    final List<JsonObject> sent = new ArrayList<>();
    URI uri;
    Handler handler;
    boolean closedByOwner;
    boolean full;

    FakeWire(Transport kind) {
        this.kind = kind;
    }

    @Override
    public void open(URI uri, Handler handler) {
        this.uri = uri;
        this.handler = handler;
    }

    @Override
    public boolean send(String json) {
        if (closedByOwner || full) {
            return false;
        }
        try (var reader = Json.createReader(new StringReader(json))) {
            sent.add(reader.readObject());
        }
        return true;
    }

    @Override
    public void close() {
        closedByOwner = true;
    }

    void opened() {
        handler.opened(kind);
    }

    void receive(String json) {
        handler.frame(json.replace('\'', '"'));
    }

    void lost(int code, String reason) {
        handler.closed(code, reason);
    }

    /** The frames sent of this type. */
    List<JsonObject> sent(String type) {
        return sent.stream().filter(f -> f.getString("type").equals(type)).toList();
    }

    JsonObject last(String type) {
        List<JsonObject> of = sent(type);
        if (of.isEmpty()) {
            throw new AssertionError("no " + type + " sent; sent: " + sent);
        }
        return of.get(of.size() - 1);
    }
}
