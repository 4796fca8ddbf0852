package dev.parley.standalone.grizzly;

import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * A filter of the standalone listener's own, placed just above Grizzly's HTTP codec and
 * so in front of Tyrus: it sees requests as they are parsed, response heads as they go
 * out, and an upgraded connection's raw bytes. Registered as an add-on, before Tyrus'.
 */
abstract class AboveHttpCodec extends BaseFilter implements AddOn {

    @Override
    public final void setup(NetworkListener listener, FilterChainBuilder builder) {
        builder.add(builder.indexOfType(HttpServerFilter.class) + 1, this);
    }

    /** The response whose content this write carries, or null for anything else. */
    static HttpResponsePacket response(FilterChainContext ctx) {
        return ctx.getMessage() instanceof HttpContent content && content.getHttpHeader() instanceof HttpResponsePacket r
                ? r : null;
    }

    /** The request whose content this read carries, or null for anything else. */
    static HttpRequestPacket request(FilterChainContext ctx) {
        return ctx.getMessage() instanceof HttpContent content && content.getHttpHeader() instanceof HttpRequestPacket r
                ? r : null;
    }
}
