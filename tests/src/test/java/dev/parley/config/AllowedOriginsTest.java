package dev.parley.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AllowedOriginsTest {
    private final AllowedOrigins sameHost = AllowedOrigins.sameHostOnly();

    @Test
    void aRequestWithoutOriginIsNotABrowsersAndIsLetIn() {
        assertTrue(sameHost.allows(null, "chat.example.com"));
    }

    @Test
    void aPageFromTheHostTheRequestCameToIsLetIn() {
        assertTrue(sameHost.allows("http://chat.example.com:8080", "chat.example.com:8080"));
        assertTrue(sameHost.allows("https://chat.example.com", "chat.example.com"));
        assertTrue(sameHost.allows("http://CHAT.example.com", "chat.example.com:80"));
        assertTrue(sameHost.allows("http://[::1]:8080", "[::1]:8080"));
    }

    @Test
    void aPageFromAnotherHostOrPortIsRefused() {
        assertFalse(sameHost.allows("http://evil.example.net", "chat.example.com"));
        assertFalse(sameHost.allows("http://chat.example.com:8081", "chat.example.com:8080"));
        assertFalse(sameHost.allows("https://chat.example.com", "chat.example.com:80"));
        assertFalse(sameHost.allows("http://chat.example.com.evil.net", "chat.example.com"));
        assertFalse(sameHost.allows("http://chat.example.com", null));
    }

    @Test
    void anOpaqueOrMalformedOriginIsRefused() {
        for (String bad : new String[] {"null", "", "file://", "chat.example.com", "http://a b", "http://u@chat.example.com"}) {
            assertFalse(sameHost.allows(bad, "chat.example.com"), bad);
        }
    }

    @Test
    void patternsWidenTheRule() {
        AllowedOrigins origins = AllowedOrigins.parse("https://app.example.com, https://*.example.org:8443");
        assertTrue(origins.allows("https://app.example.com", "chat.internal"));
        assertTrue(origins.allows("https://app.example.com:443", "chat.internal"));
        assertFalse(origins.allows("http://app.example.com", "chat.internal"), "the scheme counts");
        assertTrue(origins.allows("https://a.b.example.org:8443", "chat.internal"));
        assertFalse(origins.allows("https://example.org:8443", "chat.internal"), "*. means a subdomain");
        assertFalse(origins.allows("https://a.example.org", "chat.internal"), "the port counts");
        assertFalse(origins.allows("https://evilexample.org:8443", "chat.internal"));
        assertTrue(origins.allows("http://chat.internal", "chat.internal"), "the same host stays allowed");
    }

    @Test
    void aStarAllowsAnyOrigin() {
        assertTrue(AllowedOrigins.parse("*").allows("http://anything.example", "chat.internal"));
        assertTrue(AllowedOrigins.parse("*").allows("null", "chat.internal"));
    }

    @Test
    void somethingThatIsNotAnOriginIsRefusedAtStart() {
        for (String bad : new String[] {"example.com", "https://example.com/path", "https://ex*ample.com", "ftp:x"}) {
            assertThrows(IllegalArgumentException.class, () -> AllowedOrigins.parse(bad), bad);
        }
    }
}
