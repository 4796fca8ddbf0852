package dev.parley.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * A test that runs once in each {@link Engine}, shown as "[1] chromium" and "[2] firefox";
 * its {@link Browsers} opens pages in that engine. {@code -Dparley.browsers=firefox} keeps
 * to the engines named (comma-separated).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(BrowserTest.InEachEngine.class)
public @interface BrowserTest {

    /** One invocation per engine; before each, that engine is launched (or the test skipped, or failed in CI). */
    final class InEachEngine implements TestTemplateInvocationContextProvider {
        @Override
        public boolean supportsTestTemplate(ExtensionContext context) {
            return true;
        }

        @Override
        public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
            return chosen().stream().map(InEngine::new);
        }

        private static List<Engine> chosen() {
            String named = System.getProperty("parley.browsers", "").trim();
            if (named.isEmpty()) {
                return List.of(Engine.values());
            }
            Set<String> labels = Arrays.stream(named.split(",")).map(String::trim).collect(Collectors.toSet());
            List<Engine> engines = Arrays.stream(Engine.values()).filter(engine -> labels.contains(engine.label())).toList();
            if (engines.size() != labels.size()) {
                throw new IllegalArgumentException("parley.browsers=" + named + ": the engines are "
                        + Arrays.toString(Engine.values()));
            }
            return engines;
        }
    }

    /** The invocation in one engine. */
    record InEngine(Engine engine) implements TestTemplateInvocationContext, BeforeEachCallback {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + invocationIndex + "] " + engine.label();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(this);
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            Browsers.prepare(context, engine);
        }
    }
}
