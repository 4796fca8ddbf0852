package dev.parley.standalone.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web client's files are read once, at start; a request for anything else leaves nothing behind. */
class WebClientHandlerTest {
    private static final Set<String> WEB_CLIENT = Set.of("/index.html", "/app.js", "/style.css", "/favicon.svg",
            "/js/client/connection.js", "/js/client/fallback.js", "/js/errors.js", "/js/identity.js", "/js/links.js", "/js/log.js",
            "/js/members.js", "/js/message.js", "/js/client/outbox.js", "/js/reads.js", "/js/render.js", "/js/tab.js", "/js/timeline.js",
            "/js/client/transport.js", "/js/client/client.js", "/js/client/event-stream.js", "/js/client/index.js",
            "/admin/index.html", "/admin/admin.js", "/admin/admin.css", "/config.json");

    @Test
    void requestsForMissingFilesAreNotRemembered() {
        WebClientHandler handler = new WebClientHandler();
        String padding = "x".repeat(4000);
        for (int i = 0; i < 20_000; i++) {
            assertTrue(handler.find("/" + padding + i + ".js").isEmpty());
        }
        assertTrue(handler.find("/app.js").isPresent());
        assertTrue(handler.paths().equals(WEB_CLIENT), () -> handler.paths().size() + " paths remembered");
    }

    @Test
    void theClientSettingsSayWhetherUsersSignInWithTokensAndHowLongANameMayBeHeld() {
        assertEquals("{\"identity\":false,\"tokenUrl\":null,\"nameHeldSeconds\":60}",
                new String(new WebClientHandler().find("/config.json").orElseThrow().body(), StandardCharsets.UTF_8));
    }

    @Test
    void theWebClientIsReadFromAJarToo(@TempDir Path folder) throws IOException {
        Path jar = folder.resolve("client.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String name : new String[] {"webapp/", "webapp/index.html", "webapp/js/app.js", "webapp/notes.txt",
                    "elsewhere.html"}) {
                out.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    out.write(name.getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            WebClientHandler handler = new WebClientHandler(loader);
            assertEquals(Set.of("/index.html", "/js/app.js", "/config.json"), handler.paths());
            assertArrayEquals("webapp/js/app.js".getBytes(StandardCharsets.UTF_8), handler.find("/js/app.js").orElseThrow().body());
            assertEquals("text/javascript; charset=utf-8", handler.find("/js/app.js").orElseThrow().type());
        }
    }
}
