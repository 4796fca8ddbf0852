package dev.parley.web;

import dev.parley.config.ParleyConfig;
import dev.parley.http.ClientSettings;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The WAR's {@code /parley/config.json} ({@link ClientSettings}). */
@WebServlet(urlPatterns = "/" + ClientSettings.FILE)
public class ClientSettingsServlet extends HttpServlet {
    @Inject
    private ParleyConfig config;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = ClientSettings.json(config).getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-cache");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
