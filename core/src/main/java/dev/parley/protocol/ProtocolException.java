package dev.parley.protocol;

/**
 * A frame the protocol refuses: becomes one {@code error} frame to its sender, the
 * connection stays open. Carries the frame's type when it was readable, so the caller
 * can put state errors ({@code not-joined}, {@code already-joined}) first, and the
 * frame's {@code cid} when it had a valid one, so the error can name it.
 * Thrown for client mistakes, so it records no stack trace.
 */
public final class ProtocolException extends Exception {
    private final ErrorCode code;
    private final InboundType type;
    private final String cid;

    public ProtocolException(ErrorCode code, String message, InboundType type, String cid) {
        super(message, null, false, false);
        this.code = code;
        this.type = type;
        this.cid = cid;
    }

    public ErrorCode code() {
        return code;
    }

    /** The frame's type, or null when it had none that Parley knows. */
    public InboundType type() {
        return type;
    }

    /** The frame's cid, or null. */
    public String cid() {
        return cid;
    }

    public Outbound.Error toFrame() {
        return new Outbound.Error(code, getMessage(), cid);
    }
}
