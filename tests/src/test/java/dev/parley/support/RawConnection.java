package dev.parley.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A plain TCP connection to the server, for requests and frames no well-behaved client
 * sends: half requests, drip-fed headers, bad handshakes, oversized or unmasked frames.
 */
public final class RawConnection implements AutoCloseable {
    private static final int TEXT = 0x1;
    private static final int CLOSE = 0x8;

    private static final java.util.regex.Pattern CONNECTION_ID = java.util.regex.Pattern.compile(
            "event: connection\ndata: \\{\"id\":\"([^\"]+)\"\\}\n\n");
    private static final java.util.regex.Pattern CLOSE_EVENT = java.util.regex.Pattern.compile(
            "event: close\ndata: \\{\"code\":(\\d+)[^\n]*\n");

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    /** Over the HTTP transport: where this connection's frames are POSTed (the socket carries its event stream). */
    private URI frames;

    /** A frame as read: its opcode and payload. */
    public record Frame(int opcode, byte[] payload) {
        /** The code of a close frame, 1005 if it has none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }

        /** The reason of a close frame. */
        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    /**
     * Over the HTTP transport: reads the rest of the event stream, the code of its close
     * event, or 1006 if the server dropped the connection without one (chunk boundaries
     * are left in: they cannot split the close event's one line in a way that matters here,
     * as it is written in one piece).
     */
    private int streamCloseCode() throws IOException {
        StringBuilder tail = new StringBuilder();
        byte[] buffer = new byte[65536];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                tail.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                java.util.regex.Matcher close = CLOSE_EVENT.matcher(tail);
                if (close.find()) {
                    return Integer.parseInt(close.group(1));
                }
                if (tail.length() > 4096) {
                    tail.delete(0, tail.length() - 4096);
                }
            }
        } catch (java.net.SocketException ended) {
            // reset: as good as a close without an event
        }
        return 1006;
    }

    /** Connects to the server of {@code uri} (its host and port). */
    public RawConnection(URI uri) throws IOException {
        this(uri, 0);
    }

    private RawConnection(URI uri, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer); // before connect, so the window stays small
        }
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    /** Connects and completes a WebSocket handshake for {@code uri}'s path. */
    public static RawConnection upgraded(URI uri) throws IOException {
        return upgrade(new RawConnection(uri), uri);
    }

    /**
     * A chat connection that stops reading, the way a frozen tab or a saturated phone link
     * does: a small receive buffer, and nothing is read until {@link #closeCode} is called.
     * (The JDK's client reads ahead into memory whatever its listener asks for.)
     */
    public static RawConnection stalled(URI uri) throws IOException {
        if (uri.getScheme().startsWith("http")) {
            return stream(new RawConnection(uri, 4096), uri);
        }
        return upgrade(new RawConnection(uri, 4096), uri);
    }

    /** Over the HTTP transport: where this connection's frames are POSTed (and it is DELETEd). */
    public URI frameUri() {
        return frames;
    }

    /** Opens the HTTP transport's event stream of {@code uri} and reads up to its connection event. */
    private static RawConnection stream(RawConnection connection, URI uri) throws IOException {
        connection.send("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n");
        String head = connection.readHead();
        if (!head.startsWith("HTTP/1.1 200")) {
            throw new IOException("stream refused: " + head);
        }
        StringBuilder read = new StringBuilder();
        java.util.regex.Matcher id;
        while (!(id = CONNECTION_ID.matcher(read)).find()) {
            int c = connection.in.read();
            if (c < 0) {
                throw new IOException("the stream ended before its connection event: " + read);
            }
            read.append((char) c);
        }
        connection.frames = URI.create(uri + "/" + id.group(1));
        return connection;
    }

    private static RawConnection upgrade(RawConnection connection, URI uri) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        connection.send("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n");
        String head = connection.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head);
        }
        return connection;
    }

    /** How long a read waits before it fails with a SocketTimeoutException (10 s unless set). */
    public RawConnection readTimeout(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        return this;
    }

    public void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The status line and headers of the next response, up to the empty line. */
    public String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while (!head.toString().endsWith("\r\n\r\n")) {
            c = in.read();
            if (c < 0) {
                throw new IOException("connection ended in a response head: " + head);
            }
            head.append((char) c);
        }
        return head.toString();
    }

    /** The next response, head and body (read by its Content-Length). */
    public String readResponse() throws IOException {
        String head = readHead();
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return head + new String(body, StandardCharsets.UTF_8);
    }

    /** Sends the header of a masked frame announcing {@code length} bytes (its masking key too), and no payload. */
    public void sendHeader(boolean fin, int opcode, long length) throws IOException {
        send(header(fin, opcode, length, true));
        send(new byte[4]);
    }

    /** Sends a masked text frame. */
    public void sendText(String text) throws IOException {
        if (frames != null) {
            int status;
            try {
                status = EventStreamWire.HTTP.send(java.net.http.HttpRequest.newBuilder(frames)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(text)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (status != 202 && status != 404) { // 404: closed already, like writing into a socket the server closed
                throw new IOException("POST answered " + status);
            }
            return;
        }
        sendFrame(true, TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Sends a frame, masked as a client must, or not. */
    public void sendFrame(boolean fin, int opcode, byte[] payload, boolean masked) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        byte[] header = header(fin, opcode, payload.length, masked);
        frame.write(header);
        byte[] mask = new byte[4];
        if (masked) {
            ThreadLocalRandom.current().nextBytes(mask);
            frame.write(mask);
        }
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        send(frame.toByteArray());
    }

    /** A frame header up to the masking key (which, when masked, the caller sends next). */
    private static byte[] header(boolean fin, int opcode, long length, boolean masked) {
        ByteBuffer header = ByteBuffer.allocate(10);
        header.put((byte) ((fin ? 0x80 : 0) | opcode));
        int mask = masked ? 0x80 : 0;
        if (length < 126) {
            header.put((byte) (mask | length));
        } else if (length <= 0xffff) {
            header.put((byte) (mask | 126)).putShort((short) length);
        } else {
            header.put((byte) (mask | 127)).putLong(length);
        }
        byte[] bytes = new byte[header.position()];
        header.flip().get(bytes);
        return bytes;
    }

    /** The next frame the server sends. */
    public Frame readFrame() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0f, payload);
    }

    /** Reads frames until a close frame, and returns it. */
    public Frame readUntilClose() throws IOException {
        Frame frame;
        do {
            frame = readFrame();
        } while (frame.opcode() != CLOSE);
        return frame;
    }

    /**
     * Reads (and drops) frames until the server's close frame and returns its code; 1006
     * if the connection just ends or is reset (a server that closes while frames of ours
     * are still unread in its socket makes the kernel reset it, and what was on the way is lost).
     */
    public int closeCode() throws IOException {
        if (frames != null) {
            return streamCloseCode();
        }
        try {
            return readUntilClose().closeCode();
        } catch (java.io.EOFException | java.net.SocketException ended) {
            return 1006;
        }
    }

    /**
     * Whether the server ends the connection within {@code wait}: reads (and drops)
     * whatever arrives until the end of the stream, a reset, or the wait is over.
     */
    public boolean endsWithin(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] sink = new byte[4096];
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
                if (in.read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) { // reset
            return true;
        }
    }

    /** Ends the connection with a reset rather than a FIN, as a dropped proxy or a killed process does. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
