package dev.parley.standalone.grizzly;

import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;

/**
 * Closes a connection whose request body Grizzly's codec found broken (a chunk size that is
 * no hex number, say) and keeps the broken body from the filters above. The codec has
 * answered such a request 400 itself (unless an answer had gone out already) and hands the
 * broken body up all the same; Grizzly's HTTP server filter, unless a handler is reading that
 * body at that moment, takes it for a new request, reads it, and logs GRIZZLY0013 at WARNING
 * with the client's mistake as a stack trace (docs/CLEAN-LOG.md). Nothing above the codec can
 * use a broken body: a handler waiting for one is told by the connection's close, and no
 * later byte of the connection can be read as a request, since where the body ends is lost.
 */
public final class BrokenBody extends AboveHttpCodec {

    @Override
    public NextAction handleRead(FilterChainContext ctx) {
        if (ctx.getMessage() instanceof HttpContent content && HttpContent.isBroken(content)) {
            ctx.getConnection().closeSilently();
            return ctx.getStopAction();
        }
        return ctx.getInvokeAction();
    }
}
