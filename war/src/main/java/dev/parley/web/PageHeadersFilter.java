package dev.parley.web;

import dev.parley.config.ParleyConfig;
import dev.parley.http.PageHeaders;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The WAR's web client gets the same security headers as the standalone server's
 * ({@link PageHeaders}). The application server serves the files; this only adds headers.
 * Not part of the standalone server (no servlet container there; beans.xml keeps Weld
 * from looking at it).
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class PageHeadersFilter extends HttpFilter {
    @Inject
    private ParleyConfig config;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean secure = config.forwarding(request.getRemoteAddr(), request.getHeader("Host"),
                name -> SseServlet.header(request, name)).secure(request.isSecure());
        PageHeaders.set(response::setHeader, secure, config.identity().tokenOrigin());
        chain.doFilter(request, response);
    }
}
