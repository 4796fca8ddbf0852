package dev.parley.web;

import dev.parley.admin.AdminApi;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Without PARLEY_ADMIN_TOKEN the admin view is off, not open: its page and its API answer 404. */
@WebFilter(urlPatterns = {"/admin", "/admin/*"})
public class AdminFilter extends HttpFilter {
    @Inject
    private AdminApi api;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!api.enabled()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        chain.doFilter(request, response);
    }
}
