package dev.parley.web;

import dev.parley.config.ParleyConfig;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.util.Set;

/**
 * Payara runs Tyrus over the Servlet API, and Tyrus there buffers up to 4 MiB of every
 * incoming frame before Parley can refuse it, whatever PARLEY_MAX_FRAME says. Tyrus reads
 * its buffer size from this context parameter at each upgrade, so Parley sets it: twice
 * the frame limit and a header, as the standalone server did before it judged frames at
 * their header. A frame up to that reaches Parley, which closes with 1009; a larger one
 * Tyrus closes itself (docs/CONTAINERS.md). Other containers ignore the parameter.
 */
public class TyrusFrameBuffer implements ServletContainerInitializer {
    static final String TYRUS_SERVLET_BUFFER = "org.glassfish.tyrus.servlet.incoming-buffer-size";
    private static final int FRAME_HEADER = 14;

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        if (context.getInitParameter(TYRUS_SERVLET_BUFFER) == null) { // an operator's own setting wins
            int maxFrame = ParleyConfig.fromEnvironment().maxFrameBytes();
            context.setInitParameter(TYRUS_SERVLET_BUFFER, Integer.toString(2 * maxFrame + FRAME_HEADER));
        }
    }
}
