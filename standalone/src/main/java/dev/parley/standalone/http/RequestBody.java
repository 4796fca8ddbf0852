package dev.parley.standalone.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.ReadHandler;
import org.glassfish.grizzly.http.io.NIOInputStream;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * A request's body, read without waiting: requests arrive on a selector thread, which must
 * never wait for a slow client. At most {@code max} + 1 bytes are kept, so a body that is
 * too big is told by its length, whatever it declared.
 *
 * <p>A body that came with its request (the usual small POST) is handed over at once, on
 * the calling thread. One that comes later is read as it comes with the response
 * suspended, and that response closes its connection: Grizzly (4.0) leaves a keep-alive
 * connection deaf to its next request once a response was resumed after a late body.
 */
final class RequestBody {
    private static final Logger LOG = Logger.getLogger(RequestBody.class.getName());

    /** Told the body (at most max + 1 bytes) once; {@code suspended}: the response must be resumed after the answer. */
    interface Whole {
        void accept(byte[] body, boolean suspended);
    }

    private RequestBody() {
    }

    static void read(Request request, Response response, int max, Whole whole) throws IOException {
        NIOInputStream in = request.getNIOInputStream();
        if (in.isFinished()) {
            whole.accept(in.readNBytes(Math.min(in.readyData(), max + 1)), false);
            return;
        }
        response.setHeader("Connection", "close");
        response.suspend();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        in.notifyAvailable(new ReadHandler() {
            @Override
            public void onDataAvailable() throws Exception {
                if (take()) {
                    in.notifyAvailable(this);
                }
            }

            @Override
            public void onAllDataRead() throws Exception {
                if (take()) {
                    whole.accept(body.toByteArray(), true);
                }
            }

            @Override
            public void onError(Throwable t) {
                LOG.log(Level.FINE, "request body failed", t);
                response.resume();
            }

            /** What has come so far; false (and the body so far handed on) once it is more than max. */
            private boolean take() throws IOException {
                byte[] chunk = new byte[Math.min(in.readyData(), max + 1 - body.size())];
                int read = in.read(chunk);
                if (read > 0) {
                    body.write(chunk, 0, read);
                }
                if (body.size() > max) {
                    whole.accept(body.toByteArray(), true);
                    return false;
                }
                return true;
            }
        });
    }
}
