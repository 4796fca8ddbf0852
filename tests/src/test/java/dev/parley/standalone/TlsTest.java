package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.parley.config.ConfigException;
import dev.parley.config.ParleyConfig;
import dev.parley.support.ChatClient;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import dev.parley.support.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * https and wss on the standalone server, with a self-signed certificate this test makes
 * with openssl, the start-up refusals for bad files, and the token command's https link.
 */
class TlsTest {
    private static Path folder;
    private static Path cert;
    private static Path key;
    private static StandaloneParley server;
    private static HttpClient trusting;

    @BeforeAll
    static void start() throws Exception {
        folder = Files.createTempDirectory("parley-tls-");
        cert = folder.resolve("cert.pem");
        key = folder.resolve("key.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
        server = new StandaloneParley(Map.of("PARLEY_TLS_CERT", cert.toString(), "PARLEY_TLS_KEY", key.toString()));
        server.start();
        trusting = HttpClient.newBuilder().sslContext(trusting(cert)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl: " + output);
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("parley", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void thePageComesOverHttpsWithStrictTransportSecurity() throws Exception {
        URI page = server.httpUri();
        assertEquals("https", page.getScheme());
        HttpResponse<String> response = trusting.send(HttpRequest.newBuilder(page).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("<title>"), response.body());
        assertEquals("max-age=31536000", response.headers().firstValue("Strict-Transport-Security").orElse(null));
        HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(page.resolve("health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
    }

    @Test
    void twoMembersChatOverWss() {
        String room = Rooms.fresh();
        URI chat = server.chatUri(room);
        assertEquals("wss", chat.getScheme());
        try (ChatClient ann = ChatClient.connect(trusting, chat, Map.of());
             ChatClient bob = ChatClient.connect(trusting, chat, Map.of())) {
            ann.send("{\"type\":\"join\",\"user\":\"ann\"}").next("welcome");
            bob.send("{\"type\":\"join\",\"user\":\"bob\"}").next("welcome");
            ann.say("over tls", "c1").awaitAck("c1");
            assertEquals("over tls", bob.nextOf("message").getString("text"));
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefusedAtTheHandshake() {
        HttpClient stranger = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        IOException e = assertThrows(IOException.class,
                () -> stranger.send(HttpRequest.newBuilder(server.httpUri()).build(), HttpResponse.BodyHandlers.ofString()));
        assertTrue(e instanceof SSLHandshakeException || e.getCause() instanceof SSLHandshakeException, e.toString());
    }

    @Test
    void theTokenCommandsLinkIsHttps() throws Exception {
        ParleyConfig config = ParleyConfig.from(Map.of("PARLEY_TLS_CERT", cert.toString(), "PARLEY_TLS_KEY", key.toString(),
                "PARLEY_PORT", "8443", "PARLEY_TOKEN_SECRET", TestTokens.SECRET)::get, name -> null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, TokenCommand.run(new String[] {"token", "--user", "ada", "--rooms", "lobby", "--link"}, () -> config,
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("https://localhost:8443/#lobby&token=" + lines.get(0), lines.get(1));
    }

    private static String refusal(Map<String, String> settings) {
        return assertThrows(ConfigException.class, () -> ParleyConfig.from(settings::get, name -> null)).getMessage();
    }

    @Test
    void anUnreadableKeyIsToldAsSuch() throws Exception {
        Path unreadable = Files.copy(key, folder.resolve("unreadable.pem"));
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(unreadable), "this user (root) reads any file; a folder for a file is a case it cannot");
        assertEquals("cannot read " + unreadable + " (permission denied): PARLEY_TLS_KEY must name a file this user can read",
                refusal(Map.of("PARLEY_TLS_CERT", cert.toString(), "PARLEY_TLS_KEY", unreadable.toString())));
    }

    @Test
    void badFilesStopStartUpWithOneLine() throws Exception {
        assertTrue(refusal(Map.of("PARLEY_TLS_CERT", cert.toString())).startsWith("TLS needs both"));
        assertEquals("no such file: " + folder.resolve("missing.pem") + " (PARLEY_TLS_CERT)", refusal(Map.of(
                "PARLEY_TLS_CERT", folder.resolve("missing.pem").toString(), "PARLEY_TLS_KEY", key.toString())));
        assertEquals("no such file: " + folder.resolve("missing.pem") + " (PARLEY_TLS_KEY)", refusal(Map.of(
                "PARLEY_TLS_CERT", cert.toString(), "PARLEY_TLS_KEY", folder.resolve("missing.pem").toString())));
        assertEquals("cannot read " + folder + " (is a directory): PARLEY_TLS_KEY must name a file this user can read",
                refusal(Map.of("PARLEY_TLS_CERT", cert.toString(), "PARLEY_TLS_KEY", folder.toString())));
        assertTrue(refusal(Map.of("PARLEY_TLS_CERT", key.toString(), "PARLEY_TLS_KEY", key.toString()))
                .startsWith("PARLEY_TLS_CERT: "));

        Path sec1 = folder.resolve("sec1.pem");
        openssl("ec", "-in", key.toString(), "-out", sec1.toString()); // "BEGIN EC PRIVATE KEY", not PKCS#8
        assertTrue(refusal(Map.of("PARLEY_TLS_CERT", cert.toString(), "PARLEY_TLS_KEY", sec1.toString()))
                .contains("openssl pkcs8 -topk8 -nocrypt"));

        Path other = folder.resolve("other.pem");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", other.toString());
        assertTrue(refusal(Map.of("PARLEY_TLS_CERT", cert.toString(), "PARLEY_TLS_KEY", other.toString()))
                .contains("is not the private key of the certificate"));
    }
}
