package dev.parley.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BrokerWireTest {

    private static void roundTrip(Event event) {
        BrokerWire.Received back = BrokerWire.read(BrokerWire.write("node-1", event));
        assertEquals("node-1", back.origin());
        assertEquals(event, back.event());
    }

    @Test
    void everyKindComesBackAsItWent() {
        roundTrip(Event.message(42, "{\"type\":\"message\",\"seq\":42,\"text\":\"a,b\\nc\"}"));
        roundTrip(Event.of(Event.Kind.JOINED, "ann", "{\"type\":\"joined\"}"));
        roundTrip(Event.of(Event.Kind.LEFT, "名前,with\ncomma", "{\"type\":\"left\"}"));
        roundTrip(Event.of(Event.Kind.TYPING, "bob", "{}"));
        roundTrip(Event.of(Event.Kind.DIRECT, "cyd", "{\"type\":\"direct\",\"text\":\"😀\"}"));
        roundTrip(Event.tail(7));
    }

    @Test
    void theUserIsCutByItsLengthSoAnyCharacterMayBeInIt() {
        Event event = Event.of(Event.Kind.JOINED, "a\nb", "{\"x\":1}");
        String wire = BrokerWire.write("n", event);
        assertEquals("j,0,3,n\na\nb{\"x\":1}", wire);
    }

    @Test
    void somethingElseOnTheChannelIsRefused() {
        assertThrows(RuntimeException.class, () -> BrokerWire.read("hello"));
        assertThrows(RuntimeException.class, () -> BrokerWire.read("z,1,0,n\n{}"));
        assertThrows(RuntimeException.class, () -> BrokerWire.read("m,x,0,n\n{}"));
        assertThrows(RuntimeException.class, () -> BrokerWire.read("m,1,99,n\n{}"));
    }
}
