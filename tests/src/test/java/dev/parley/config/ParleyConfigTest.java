package dev.parley.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParleyConfigTest {

    private static ParleyConfig load(Map<String, String> env, Map<String, String> properties) {
        return ParleyConfig.from(env::get, properties::get);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ParleyConfig config = ParleyConfig.defaults();
        assertEquals("0.0.0.0", config.host());
        assertEquals(8080, config.port());
        assertEquals(16384, config.maxFrameBytes());
        assertEquals(Duration.ofSeconds(60), config.idleTimeout());
        assertEquals(1000, config.sendQueue());
        assertEquals(1000, config.recoveryCap());
        assertEquals(20, config.rateLimit());
        assertEquals(1024 * 1024, config.sendBuffer());
        assertEquals(Duration.ofSeconds(10), config.requestTimeout());
        assertEquals(AllowedOrigins.sameHostOnly(), config.allowedOrigins());
        assertEquals(0, config.maxConnectionsPerIp(), "no limit per address unless asked");
        assertEquals(ParleyConfig.defaultMaxConnections(), config.maxConnections());
        assertEquals(Runtime.getRuntime().maxMemory() / 4 / (1024 * 1024) * 1024 * 1024, config.store().memoryBytes());
        assertEquals(StoreConfig.Kind.JDBC, config.store().kind());
        assertEquals(0, config.store().keep(), "the durable store keeps everything by default");
        assertEquals("java:comp/DefaultDataSource", config.store().datasource());
        assertTrue(config.store().standaloneUrl().startsWith("jdbc:h2:file:"), config.store().standaloneUrl());
        assertTrue(config.store().standaloneUrl().contains("/data/parley;"), config.store().standaloneUrl());
        assertEquals(new OpsConfig(Duration.ofSeconds(5), null, null), config.ops(), "metrics open, admin view off");
    }

    @Test
    void environmentVariablesAreRead() {
        ParleyConfig config = load(Map.ofEntries(Map.entry("PARLEY_HOST", "127.0.0.1"), Map.entry("PARLEY_PORT", "9000"),
                Map.entry("PARLEY_MAX_FRAME", "4096"), Map.entry("PARLEY_IDLE_TIMEOUT", "5"),
                Map.entry("PARLEY_HISTORY_KEEP", "20"), Map.entry("PARLEY_SEND_QUEUE", "30"),
                Map.entry("PARLEY_SEND_BUFFER", "65536"), Map.entry("PARLEY_RECOVERY_CAP", "2000"),
                Map.entry("PARLEY_RATE_LIMIT", "0"), Map.entry("PARLEY_REQUEST_TIMEOUT", "3"),
                Map.entry("PARLEY_ALLOWED_ORIGINS", "https://chat.example.com, https://*.example.org:8443"),
                Map.entry("PARLEY_MAX_CONNECTIONS", "500"), Map.entry("PARLEY_MAX_CONNECTIONS_PER_IP", "7"),
                Map.entry("PARLEY_STORE", "Memory"), Map.entry("PARLEY_HISTORY_MEMORY_MB", "64"),
                Map.entry("PARLEY_NODE_ID", "node-7"), Map.entry("PARLEY_PRESENCE_TTL", "9"),
                Map.entry("PARLEY_CLUSTER_NAME", "team"), Map.entry("PARLEY_LOG_FORMAT", "JSON"),
                Map.entry("PARLEY_SHUTDOWN_GRACE", "0"), Map.entry("PARLEY_METRICS_TOKEN", "scrape-me-0123456789"),
                Map.entry("PARLEY_ADMIN_TOKEN", "admin-0123456789abcdef"), Map.entry("PARLEY_WEBSOCKET_SEND", "Portable"),
                Map.entry("PARLEY_TRUSTED_PROXIES", "10.0.0.0/8,::1"),
                Map.entry("PARLEY_API_KEY", "api-key-0123456789abcdef-0123456789"),
                Map.entry("PARLEY_WEBHOOK_URL", "https://app.example.com/hooks"),
                Map.entry("PARLEY_WEBHOOK_SECRET", "hook-secret-0123456789abcdef-01234"),
                Map.entry("PARLEY_PRESENCE_LIMIT", "50"), Map.entry("PARLEY_WEBSOCKET_ENGINE", "Parley")),
                Map.of());
        assertEquals(new ParleyConfig("127.0.0.1", 9000, 4096, Duration.ofSeconds(5), 30, 65536, 2000, 0,
                Duration.ofSeconds(3), AllowedOrigins.parse("https://chat.example.com,https://*.example.org:8443"),
                500, 7, new StoreConfig(StoreConfig.Kind.MEMORY, 20, Path.of("./data"), null, null, null,
                        "java:comp/DefaultDataSource", 64L * 1024 * 1024, true),
                new ClusterConfig(null, "node-7", Duration.ofSeconds(9), "team"), true,
                new OpsConfig(Duration.ZERO, "scrape-me-0123456789", "admin-0123456789abcdef"), IdentityConfig.off(),
                null, true, TrustedProxies.parse("10.0.0.0/8, ::1"),
                new ApiConfig("api-key-0123456789abcdef-0123456789", java.net.URI.create("https://app.example.com/hooks"),
                        "hook-secret-0123456789abcdef-01234"), 50, true), config);
    }

    @Test
    void clusterModeNeedsAStoreTheNodesShare() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Map.of("PARLEY_REDIS_URL", "redis://127.0.0.1:6379", "PARLEY_STORE", "memory"), Map.of()));
        assertEquals("Cluster mode (PARLEY_REDIS_URL) needs PARLEY_STORE=jdbc on a database the nodes share"
                + " (PostgreSQL), not the memory store", e.getMessage());
        ClusterConfig cluster = load(Map.of("PARLEY_REDIS_URL", "rediss://app:secret@redis.example:6380/2"), Map.of())
                .cluster();
        assertTrue(cluster.enabled());
        assertEquals("rediss://app:***@redis.example:6380/2", cluster.describeUrl());
        assertEquals(Duration.ofSeconds(15), cluster.presenceTtl());
        assertEquals("parley", cluster.name());
        assertThrows(ConfigException.class, () -> load(Map.of("PARLEY_REDIS_URL", "http://x"), Map.of()));
        assertThrows(ConfigException.class, () -> load(Map.of("PARLEY_NODE_ID", "a b"), Map.of()));
    }

    @Test
    void aNodeIdIsMadeUniqueByDefault() {
        String first = load(Map.of(), Map.of()).cluster().nodeId();
        String second = load(Map.of(), Map.of()).cluster().nodeId();
        assertTrue(first.matches("[A-Za-z0-9.-]+-" + ProcessHandle.current().pid() + "-[0-9a-f]{5}"), first);
        assertTrue(!first.equals(second), "a random part: " + first);
    }

    @Test
    void theMemoryStoreKeepsTenThousandPerRoomByDefault() {
        assertEquals(10000, load(Map.of("PARLEY_STORE", "memory"), Map.of()).store().keep());
    }

    @Test
    void jdbcSettingsPointTheStandaloneServerAtAnotherDatabase() {
        StoreConfig store = load(Map.of("PARLEY_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test",
                "PARLEY_JDBC_USER", "postgres", "PARLEY_JDBC_PASSWORD", "", "PARLEY_DATASOURCE", "jdbc/parley"),
                Map.of()).store();
        assertEquals("jdbc:postgresql://127.0.0.1:5432/test", store.standaloneUrl());
        assertEquals("postgres", store.jdbcUser());
        assertEquals("", store.jdbcPassword(), "an empty password is a password");
        assertEquals("jdbc/parley", store.datasource());
    }

    @Test
    void anUnknownStoreIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("PARLEY_STORE", "redis"), Map.of()));
        assertEquals("PARLEY_STORE must be one of jdbc, memory, not \"redis\"", e.getMessage());
    }

    @Test
    void theSystemPropertyTwinWinsOverTheVariable() {
        ParleyConfig config = load(Map.of("PARLEY_PORT", "9000", "PARLEY_SEND_QUEUE", "30"),
                Map.of("parley.port", "9001", "parley.send.queue", "31"));
        assertEquals(9001, config.port());
        assertEquals(31, config.sendQueue());
    }

    @Test
    void anUnparsableValueNamesTheVariable() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("PARLEY_PORT", "eighty"), Map.of()));
        assertTrue(e.getMessage().startsWith("PARLEY_PORT must be an integer from 0 to 65535"), e.getMessage());
        assertTrue(e.getMessage().contains("\"eighty\""), e.getMessage());
    }

    @Test
    void anOutOfRangeValueNamesTheVariableAndTheRange() {
        for (Map.Entry<String, String> bad : Map.of("PARLEY_PORT", "65536", "PARLEY_MAX_FRAME", "10",
                "PARLEY_IDLE_TIMEOUT", "0", "PARLEY_HISTORY_KEEP", "-1", "PARLEY_SEND_QUEUE", "-1",
                "PARLEY_RECOVERY_CAP", "999", "PARLEY_RATE_LIMIT", "-5", "PARLEY_SEND_BUFFER", "1000",
                "PARLEY_MAX_CONNECTIONS", "0", "PARLEY_REQUEST_TIMEOUT", "0").entrySet()) {
            ConfigException e = assertThrows(ConfigException.class, () -> load(Map.ofEntries(bad), Map.of()));
            assertTrue(e.getMessage().startsWith(bad.getKey() + " must be an integer from "), e.getMessage());
        }
    }

    @Test
    void theShutdownSpreadFollowsTheConnectionsUnlessSetInMilliseconds() {
        assertEquals(Duration.ZERO, load(Map.of(), Map.of()).ops().shutdownSpread(), "unset: by the node's connections");
        assertEquals(Duration.ofMillis(2500), load(Map.of("PARLEY_SHUTDOWN_SPREAD", "2500"), Map.of()).ops().shutdownSpread());
        for (String bad : new String[] {"0", "-1", "3600001", "2s"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("PARLEY_SHUTDOWN_SPREAD", bad),
                    Map.of()));
            assertTrue(e.getMessage().startsWith("PARLEY_SHUTDOWN_SPREAD must be an integer from 1 to 3600000"),
                    e.getMessage());
        }
    }

    @Test
    void aBadSystemPropertyIsNamedAsSuch() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Map.of(), Map.of("parley.idle.timeout", "soon")));
        assertTrue(e.getMessage().startsWith("system property parley.idle.timeout (PARLEY_IDLE_TIMEOUT)"), e.getMessage());
    }

    @Test
    void aMalformedOriginPatternIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Map.of("PARLEY_ALLOWED_ORIGINS", "https://ok.example.com, chat.example.com"), Map.of()));
        assertTrue(e.getMessage().startsWith("PARLEY_ALLOWED_ORIGINS: \"chat.example.com\" is not an origin"),
                e.getMessage());
    }

    @Test
    void theDefaultConnectionLimitLeavesDescriptorsForEverythingElse() {
        long descriptors = ((com.sun.management.UnixOperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
        int limit = ParleyConfig.defaultMaxConnections();
        assertTrue(limit > 0 && limit <= descriptors - 256, limit + " of " + descriptors + " descriptors");
    }

    @Test
    void anEmptyHostIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("PARLEY_HOST", " "), Map.of()));
        assertTrue(e.getMessage().startsWith("PARLEY_HOST"), e.getMessage());
    }

    @Test
    void aShortTokenIsRefusedAndNoTokenIsEverPrinted() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Map.of("PARLEY_ADMIN_TOKEN", "secret"), Map.of()));
        assertTrue(e.getMessage().startsWith("PARLEY_ADMIN_TOKEN must be at least 16"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        ParleyConfig config = load(Map.of("PARLEY_METRICS_TOKEN", "0123456789abcdef-scrape"), Map.of());
        assertFalse(config.toString().contains("0123456789abcdef-scrape"), config.toString());
    }

    @Test
    void theApiKeyIsOffByDefaultAShortOneStopsStartUpAndItIsNeverPrinted() {
        assertFalse(load(Map.of(), Map.of()).api().enabled());
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Map.of("PARLEY_API_KEY", "0123456789abcdef0123456789abcde"), Map.of())); // 31
        assertTrue(e.getMessage().startsWith("PARLEY_API_KEY must be 32 to 256"), e.getMessage());
        assertFalse(e.getMessage().contains("0123456789abcdef"), e.getMessage());
        assertThrows(ConfigException.class, () -> load(Map.of("PARLEY_API_KEY", "0123456789abcdef0123456789abcdef\u00e9"),
                Map.of()), "printable ASCII only");
        ParleyConfig config = load(Map.of("PARLEY_API_KEY", "0123456789abcdef0123456789abcdef"), Map.of());
        assertEquals("0123456789abcdef0123456789abcdef", config.api().key());
        assertFalse(config.toString().contains("0123456789abcdef"), config.toString());
    }

    @Test
    void webhooksNeedTheUrlAndTheSecretTogether() {
        String secret = "hook-secret-0123456789abcdef-01234";
        assertFalse(load(Map.of(), Map.of()).api().webhooks());
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Map.of("PARLEY_WEBHOOK_URL", "http://127.0.0.1:9000/hooks"), Map.of()));
        assertTrue(e.getMessage().startsWith("PARLEY_WEBHOOK_URL is set without PARLEY_WEBHOOK_SECRET"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load(Map.of("PARLEY_WEBHOOK_SECRET", secret), Map.of()));
        assertTrue(e.getMessage().startsWith("PARLEY_WEBHOOK_SECRET is set without PARLEY_WEBHOOK_URL"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load(Map.of("PARLEY_WEBHOOK_URL", "http://127.0.0.1:9000/hooks",
                "PARLEY_WEBHOOK_SECRET", "short"), Map.of()));
        assertTrue(e.getMessage().startsWith("PARLEY_WEBHOOK_SECRET must be 32"), e.getMessage());
        for (String url : new String[] {"ftp://host/x", "not a url", "http:///x", "https://user@host/x"}) {
            e = assertThrows(ConfigException.class, () -> load(Map.of("PARLEY_WEBHOOK_URL", url,
                    "PARLEY_WEBHOOK_SECRET", secret), Map.of()), url);
            assertTrue(e.getMessage().startsWith("PARLEY_WEBHOOK_URL must be"), e.getMessage());
        }
        ParleyConfig on = load(Map.of("PARLEY_WEBHOOK_URL", "http://127.0.0.1:9000/hooks", "PARLEY_WEBHOOK_SECRET", secret),
                Map.of());
        assertTrue(on.api().webhooks());
        assertFalse(on.toString().contains(secret), on.toString());
    }

    @Test
    void identityIsOffByDefaultAndTheSecretIsNeverPrinted() {
        assertFalse(ParleyConfig.defaults().identity().enabled());
        String secret = "s3cret-of-at-least-thirty-two-bytes!";
        ParleyConfig config = load(Map.of("PARLEY_TOKEN_SECRET", secret), Map.of());
        assertTrue(config.identity().enabled());
        assertEquals("tokens signed with HS256", config.identity().describe());
        assertFalse(config.toString().contains(secret), config.toString());
    }

    @Test
    void identityTakesOneKeyOfEnoughBytes() {
        ConfigException two = assertThrows(ConfigException.class, () -> load(Map.of("PARLEY_TOKEN_SECRET",
                "s3cret-of-at-least-thirty-two-bytes!", "PARLEY_TOKEN_JWKS_URL", "https://idp.example/certs"), Map.of()));
        assertTrue(two.getMessage().startsWith("Set one of PARLEY_TOKEN_SECRET"), two.getMessage());
        ConfigException shortSecret = assertThrows(ConfigException.class,
                () -> load(Map.of("PARLEY_TOKEN_SECRET", "short"), Map.of()));
        assertTrue(shortSecret.getMessage().startsWith("PARLEY_TOKEN_SECRET must be at least 32 bytes"));
        assertFalse(shortSecret.getMessage().contains("short"));
        ConfigException url = assertThrows(ConfigException.class,
                () -> load(Map.of("PARLEY_TOKEN_JWKS_URL", "file:///etc/keys"), Map.of()));
        assertTrue(url.getMessage().startsWith("PARLEY_TOKEN_JWKS_URL must be an http or https URL"));
        ConfigException issuerAlone = assertThrows(ConfigException.class,
                () -> load(Map.of("PARLEY_TOKEN_ISSUER", "https://idp.example"), Map.of()));
        assertTrue(issuerAlone.getMessage().contains("need a key"), issuerAlone.getMessage());
    }

    @Test
    void aPublicKeyFileThatIsMissingOrNotAKeyStopsStartUpWithOneLine() throws Exception {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> load(Map.of("PARLEY_TOKEN_PUBLIC_KEY", "/nonexistent/key.pem"), Map.of()));
        assertEquals("no such file: /nonexistent/key.pem (PARLEY_TOKEN_PUBLIC_KEY)", missing.getMessage());
        java.nio.file.Path notAKey = java.nio.file.Files.createTempFile("parley-", ".pem");
        java.nio.file.Files.writeString(notAKey, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        ConfigException wrong = assertThrows(ConfigException.class,
                () -> load(Map.of("PARLEY_TOKEN_PUBLIC_KEY", notAKey.toString()), Map.of()));
        assertTrue(wrong.getMessage().contains("holds no \"BEGIN PUBLIC KEY\" PEM block"), wrong.getMessage());
        java.nio.file.Files.writeString(notAKey, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        ConfigException garbage = assertThrows(ConfigException.class,
                () -> load(Map.of("PARLEY_TOKEN_PUBLIC_KEY", notAKey.toString()), Map.of()));
        assertTrue(garbage.getMessage().contains("neither an RSA nor an EC public key"), garbage.getMessage());
    }
}
