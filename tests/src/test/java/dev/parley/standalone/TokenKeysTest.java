package dev.parley.standalone;

import static dev.parley.support.TestTokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import dev.parley.support.ChatClient;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import dev.parley.support.TestTokens;
import jakarta.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The other two ways to check tokens, on the standalone server: a PEM public key (RS256,
 * ES256) and an identity provider's JWKS document, served here on loopback.
 */
class TokenKeysTest {
    private static final RSAKey RSA = TestTokens.rsaKey("rsa-1");
    private static final ECKey EC = TestTokens.ecKey("ec-1");
    private static final RSAKey UNPUBLISHED = TestTokens.rsaKey("rsa-2");

    private static HttpServer jwks;
    private static Path folder;

    /**
     * One server at a time: Tyrus makes endpoints through CDI.current(), which in one JVM
     * with several Weld containers is the first one's.
     */
    private static void with(Map<String, String> settings, java.util.function.Consumer<StandaloneParley> test) {
        StandaloneParley server = new StandaloneParley(settings);
        server.start();
        try {
            test.accept(server);
        } finally {
            server.stop();
        }
    }

    @BeforeAll
    static void serveTheJwksDocument() throws IOException {
        folder = Files.createTempDirectory("parley-keys-");
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] document = new JWKSet(List.of(RSA, EC)).toString().getBytes(StandardCharsets.UTF_8); // public halves
        jwks.createContext("/realms/parley/certs", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, document.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(document);
            }
        });
        jwks.start();
    }

    @AfterAll
    static void stop() {
        if (jwks != null) {
            jwks.stop(0);
        }
    }

    private static Map<String, String> publicKey(com.nimbusds.jose.jwk.JWK key) {
        return Map.of("PARLEY_TOKEN_PUBLIC_KEY", TestTokens.publicKeyPem(key, folder).toString());
    }

    private static String joinAs(StandaloneParley server, String token) {
        try (ChatClient client = ChatClient.connect(server.chatUri(Rooms.fresh()))) {
            client.send(Json.createObjectBuilder().add("type", "join").add("token", token).build());
            var frame = client.next();
            if (frame.getString("type").equals("error")) {
                assertEquals(1008, client.awaitClose().code());
                return frame.getString("code");
            }
            return frame.getString("type") + " " + frame.getString("user");
        }
    }

    /** Also the old trick: an HS256 token whose HMAC key is the server's public key, as published. */
    @Test
    void anRsaPublicKeyTakesRs256TokensSignedWithItsPrivateHalfAndNothingElse() throws IOException {
        String published = Files.readString(TestTokens.publicKeyPem(RSA, folder), StandardCharsets.US_ASCII);
        with(publicKey(RSA), server -> {
            assertEquals("welcome ada", joinAs(server, TestTokens.signedWith(RSA, claims("ada"))));
            assertEquals("unauthorized", joinAs(server, TestTokens.signedWith(UNPUBLISHED, claims("ada"))));
            assertEquals("unauthorized", joinAs(server, TestTokens.signedWith(EC, claims("ada"))));
            assertEquals("unauthorized", joinAs(server, TestTokens.sign(JWSAlgorithm.HS256, claims("ada"),
                    TestTokens.macSigner(published))));
        });
    }

    @Test
    void anEcPublicKeyTakesEs256TokensAndChecksTheIssuer() {
        Map<String, String> settings = new java.util.HashMap<>(publicKey(EC));
        settings.put("PARLEY_TOKEN_ISSUER", TestTokens.ISSUER);
        with(settings, server -> {
            assertEquals("welcome bob", joinAs(server, TestTokens.signedWith(EC, claims("bob"))));
            assertEquals("unauthorized", joinAs(server, TestTokens.signedWith(EC, claims("bob", c -> c.issuer("x")))));
        });
    }

    @Test
    void aJwksDocumentGivesItsKeysAndAKeyMissingFromItIsRefused() {
        with(Map.of("PARLEY_TOKEN_JWKS_URL", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/realms/parley/certs",
                "PARLEY_TOKEN_AUDIENCE", TestTokens.AUDIENCE), server -> {
            assertEquals("welcome ada", joinAs(server, TestTokens.signedWith(RSA, claims("ada"))));
            assertEquals("welcome bob", joinAs(server, TestTokens.signedWith(EC, claims("bob"))));
            assertEquals("unauthorized", joinAs(server, TestTokens.signedWith(UNPUBLISHED, claims("cy"))));
            assertEquals("unauthorized", joinAs(server, TestTokens.signedWith(RSA, claims("cy", c -> c.audience("x")))));
            assertEquals("unauthorized", joinAs(server, TestTokens.hs256("cy")), "no HMAC with a JWKS");
        });
    }
}
