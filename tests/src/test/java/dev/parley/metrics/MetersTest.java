package dev.parley.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.InboundType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Meters meters = new Meters(registry);

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void everyFrameTypeAndErrorCodeHasItsCounterFromTheStart() {
        for (InboundType type : InboundType.values()) {
            assertEquals(0, counter("parley.frames.received", "type", type.wireName()));
        }
        for (ErrorCode code : ErrorCode.values()) {
            assertEquals(0, counter("parley.errors", "code", code.wireName()));
        }
        meters.received(InboundType.TYPING);
        meters.receivedInvalid();
        meters.error(ErrorCode.RATE_LIMITED);
        assertEquals(1, counter("parley.frames.received", "type", "typing"));
        assertEquals(1, counter("parley.frames.received", "type", "invalid"));
        assertEquals(1, counter("parley.errors", "code", "rate-limited"));
    }

    @Test
    void closesCountByCodeAndReasonWithABoundedNumberOfSeries() {
        meters.closed(new CloseReason(CloseCodes.VIOLATED_POLICY, "slow consumer"));
        meters.closed(new CloseReason(CloseCodes.VIOLATED_POLICY, "slow consumer"));
        assertEquals(2, counter("parley.closes", "code", "1008", "reason", "slow consumer"));
        for (int i = 0; i < 200; i++) { // were a reason ever made of something variable, it could not grow the series
            meters.closed(new CloseReason(CloseCodes.GOING_AWAY, "reason " + i));
        }
        assertEquals(64 + 1, registry.find("parley.closes").counters().size(), "64 reasons, then one \"other\" for the code");
        assertEquals(200 - 63, counter("parley.closes", "code", "1001", "reason", "other"));
    }

    @Test
    void deliveriesAndCommitsAddUp() {
        meters.delivered(3);
        meters.delivered(0);
        meters.delivered(5);
        meters.committed(4, TimeUnit.MILLISECONDS.toNanos(3));
        meters.committed(6, TimeUnit.MILLISECONDS.toNanos(1));
        assertEquals(8, counter("parley.deliveries"));
        assertEquals(10, registry.get("parley.store.batch").summary().totalAmount());
        assertEquals(2, registry.get("parley.store.commit").timer().count());
        assertEquals(4, registry.get("parley.store.commit").timer().totalTime(TimeUnit.MILLISECONDS), 0.001);
    }
}
