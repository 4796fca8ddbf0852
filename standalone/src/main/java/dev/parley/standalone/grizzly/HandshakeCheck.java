package dev.parley.standalone.grizzly;

import java.util.Base64;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.http.util.HttpStatus;

/**
 * Answers a WebSocket upgrade request without a valid {@code Sec-WebSocket-Key} (RFC 6455
 * 4.2.1: 16 bytes in base64) with 400 and closes the connection, in front of Tyrus, which
 * would fail on it with a 500. Tyrus itself answers an unsupported or missing
 * {@code Sec-WebSocket-Version} with 426 and the version it speaks, as RFC 6455 4.2.2
 * asks; this gives that answer its reason phrase (Grizzly writes "CUSTOM").
 */
public final class HandshakeCheck extends AboveHttpCodec {
    private static final int KEY_BYTES = 16;

    @Override
    public NextAction handleRead(FilterChainContext ctx) {
        HttpRequestPacket request = request(ctx);
        if (request != null && "websocket".equalsIgnoreCase(request.getUpgrade()) && !hasValidKey(request)) {
            HttpResponsePacket response = request.getResponse();
            response.setStatus(HttpStatus.BAD_REQUEST_400);
            response.setContentLength(0);
            response.setHeader(Header.Connection, "close");
            ctx.write(HttpContent.builder(response).last(true).build());
            ctx.getConnection().closeSilently();
            return ctx.getStopAction();
        }
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleWrite(FilterChainContext ctx) {
        HttpResponsePacket response = response(ctx);
        if (response != null && response.getStatus() == 426) {
            response.setReasonPhrase("Upgrade Required");
        }
        return ctx.getInvokeAction();
    }

    private static boolean hasValidKey(HttpRequestPacket request) {
        return validKey(request.getHeader("Sec-WebSocket-Key"));
    }

    /** RFC 6455 4.2.1: a {@code Sec-WebSocket-Key} is 16 bytes in base64 (also {@link WebSockets}' check). */
    static boolean validKey(String key) {
        try {
            return key != null && Base64.getDecoder().decode(key.strip()).length == KEY_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
