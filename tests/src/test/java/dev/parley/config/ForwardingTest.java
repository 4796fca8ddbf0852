package dev.parley.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** PARLEY_TRUSTED_PROXIES and what a request says of its client through them. */
class ForwardingTest {
    private static final TrustedProxies PROXIES = TrustedProxies.parse("10.0.0.0/8, 192.168.1.7, fd00::/8, ::1");

    private static Forwarding of(String peer, String... headers) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return Forwarding.of(PROXIES, peer, "parley.internal:8080", map::get);
    }

    @Test
    void addressesAndRangesOfBothFamiliesAreTrustedAndNothingElse() {
        assertTrue(PROXIES.trusts("10.200.3.4"));
        assertTrue(PROXIES.trusts("192.168.1.7"));
        assertFalse(PROXIES.trusts("192.168.1.8"));
        assertTrue(PROXIES.trusts("fd12:3456::1"));
        assertTrue(PROXIES.trusts("0:0:0:0:0:0:0:1"));
        assertTrue(PROXIES.trusts("[::1]"));
        assertTrue(PROXIES.trusts("::ffff:10.1.2.3"), "an IPv4-mapped address is its IPv4 address");
        assertFalse(PROXIES.trusts("fe80::1"));
        assertFalse(PROXIES.trusts("localhost"), "names are never looked up");
        assertFalse(PROXIES.trusts(null));
        assertFalse(TrustedProxies.none().trusts("127.0.0.1"));
        assertTrue(TrustedProxies.parse("172.16.0.0/12").trusts("172.31.255.255"));
        assertFalse(TrustedProxies.parse("172.16.0.0/12").trusts("172.32.0.0"));
        assertTrue(TrustedProxies.parse("0.0.0.0/0").trusts("8.8.8.8"));
        assertTrue(TrustedProxies.parse(" , ").isEmpty());
    }

    @Test
    void entriesThatAreNotAddressesOrRangesAreRefusedByName() {
        for (String bad : new String[] {"proxy.example.com", "10.0.0.0/33", "fd00::/129", "10.0.0.0/x", "10.0.0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.1," + bad));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
        ConfigException e = assertThrows(ConfigException.class,
                () -> ParleyConfig.from(name -> name.equals("PARLEY_TRUSTED_PROXIES") ? "nginx" : null, name -> null));
        assertEquals("PARLEY_TRUSTED_PROXIES: \"nginx\" is not an IP address or a CIDR range", e.getMessage());
    }

    @Test
    void fromAnUntrustedPeerTheHeadersAreIgnored() {
        Forwarding f = of("203.0.113.9", "X-Forwarded-For", "198.51.100.1", "X-Forwarded-Host", "chat.example.com",
                "X-Forwarded-Proto", "https", "Forwarded", "for=198.51.100.1;host=chat.example.com;proto=https");
        assertEquals(new Forwarding("203.0.113.9", "parley.internal:8080", null), f);
        assertFalse(f.secure(false));
    }

    @Test
    void xForwardedForGivesTheRightmostAddressThatIsNotATrustedProxy() {
        assertEquals("198.51.100.1", of("10.0.0.2", "X-Forwarded-For", "198.51.100.1").address());
        // the client claimed 1.2.3.4 itself: the first untrusted hop from the right is who connected
        assertEquals("198.51.100.1", of("10.0.0.2", "X-Forwarded-For", "1.2.3.4, 198.51.100.1, 10.0.0.9").address());
        assertEquals("10.0.0.3", of("10.0.0.2", "X-Forwarded-For", "10.0.0.3").address(), "all trusted: the leftmost");
        assertEquals("10.0.0.9", of("10.0.0.2", "X-Forwarded-For", "unknown, 10.0.0.9").address(),
                "a hop that is no address ends the chain");
        assertEquals("2001:db8::5", of("::1", "X-Forwarded-For", "[2001:db8::5]:4711").address());
        assertEquals("198.51.100.1", of("10.0.0.2", "X-Forwarded-For", "198.51.100.1:5000").address());
        assertEquals("10.0.0.2", of("10.0.0.2").address(), "no header: the peer");
    }

    @Test
    void xForwardedHostAndProtoAreTheNearestProxys() {
        Forwarding f = of("10.0.0.2", "X-Forwarded-For", "198.51.100.1", "X-Forwarded-Host", "chat.example.com",
                "X-Forwarded-Proto", "https");
        assertEquals(new Forwarding("198.51.100.1", "chat.example.com", "https"), f);
        assertTrue(f.secure(false));
        assertEquals("b.example", of("10.0.0.2", "X-Forwarded-For", "1.1.1.1", "X-Forwarded-Host", "a.example, b.example").host());
        assertEquals(null, of("10.0.0.2", "X-Forwarded-For", "1.1.1.1", "X-Forwarded-Proto", "gopher").scheme());
        assertFalse(of("10.0.0.2", "X-Forwarded-For", "1.1.1.1", "X-Forwarded-Proto", "http").secure(true));
    }

    @Test
    void forwardedWinsOverTheXHeadersAndNamesHostAndSchemeOfTheClientsElement() {
        Forwarding f = of("10.0.0.2", "X-Forwarded-For", "9.9.9.9",
                "Forwarded", "for=1.2.3.4;host=evil.example, For=\"[2001:db8::7]:443\";Host=\"chat.example.com\";Proto=HTTPS, "
                        + "for=10.0.0.9;host=parley.internal;proto=http");
        assertEquals(new Forwarding("2001:db8::7", "chat.example.com", "https"), f);
        assertEquals(new Forwarding("10.0.0.2", "parley.internal:8080", null), of("10.0.0.2", "Forwarded", "for=unknown"));
        assertEquals(new Forwarding("10.0.0.2", "parley.internal:8080", null), of("10.0.0.2", "Forwarded", "for=_hidden;proto=https"));
        assertEquals("198.51.100.1", of("10.0.0.2", "Forwarded", "proto=https;for=\"198.51.100.1:80\";by=10.0.0.2").address());
        assertEquals(2, Forwarding.elements("for=\"a,b\";host=x, for=c").size(), "a comma inside quotes is no separator");
    }
}
