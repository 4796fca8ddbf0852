package dev.parley.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The browsers of a {@link BrowserTest}, which runs once per {@link Engine}: {@link #open}
 * opens a page in this run's engine (or, for a test with a page in each, the one named), each
 * in its own window and browser context (cookies, storage), like a separate person;
 * {@link #openTab} another tab of one of them. One {@link BrowserDriver} per JVM, each engine
 * launched once, headless. Without an engine (or Node.js) the tests in it are skipped, saying so;
 * with CI=true that is a failure.
 *
 * <p>After each test its pages are closed; a test that failed leaves a screenshot of every
 * page in target/browser-failures/. A page that threw a script error, or fetched anything
 * from anywhere but the server that served it, fails the test.
 */
public final class Browsers implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Browsers.class);

    private ExtensionContext test;
    private final List<ChatPage> pages = new ArrayList<>();

    /** Before a test in {@code engine}: the driver and the engine are up, or the test is skipped (failed in CI). */
    static void prepare(ExtensionContext context, Engine engine) {
        launch(context, engine);
        context.getStore(NAMESPACE).put(Engine.class, engine);
    }

    /** The driver and the engine are up, or the test is skipped (failed in CI). */
    private static void launch(ExtensionContext context, Engine engine) {
        String missing = !Files.isExecutable(engine.executable()) ? engine.missing()
                : !BrowserDriver.nodeRuns() ? "no Node.js (node) on the PATH for the browser driver" : null;
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(missing + ": the browser tests must run in CI, in every engine");
            }
            Assumptions.abort("skipped: " + missing);
        }
        driver(context).launch(engine);
    }

    private static BrowserDriver driver(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(BrowserDriver.class, key -> BrowserDriver.start(), BrowserDriver.class);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        test = context;
    }

    /** This run's engine. */
    public Engine engine() {
        Engine engine = test == null ? null : test.getStore(NAMESPACE).get(Engine.class, Engine.class);
        if (engine == null) {
            throw new IllegalStateException("a browser test is a @BrowserTest (one run per engine), not a @Test");
        }
        return engine;
    }

    /** A new person: its own context (cookies, storage) and one page at {@code url}, 1280×800. */
    public ChatPage open(URI url) {
        return open(url, 1280, 800);
    }

    public ChatPage open(URI url, int width, int height) {
        return opened(new ChatPage(new BrowserPage(driver(test), engine(), width, height)), url);
    }

    /**
     * A new person in {@code engine}, whatever this run's engine is: for a test that has pages
     * in both engines at once, a plain {@code @Test} (or {@code @ParameterizedTest}), not a
     * {@link BrowserTest}. The engine is launched first (or the test skipped, or failed in CI).
     */
    public ChatPage open(Engine engine, URI url) {
        launch(test, engine);
        return opened(new ChatPage(new BrowserPage(driver(test), engine, 1280, 800)), url);
    }

    /**
     * Another tab of the person who has {@code of} open, at {@code url}, as big as that one:
     * cookies and localStorage are theirs, sessionStorage is the new tab's own.
     */
    public ChatPage openTab(ChatPage of, URI url) {
        BrowserPage sibling = of.page();
        return opened(new ChatPage(new BrowserPage(driver(test), engine(), sibling.viewportWidth(),
                sibling.viewportHeight(), sibling)), url);
    }

    private ChatPage opened(ChatPage page, URI url) {
        pages.add(page);
        page.navigate(url);
        return page;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (context.getExecutionException().isPresent()) {
                for (int i = 0; i < pages.size(); i++) {
                    try {
                        String engine = pages.get(i).page().engine().label();
                        pages.get(i).screenshot(Path.of("target", "browser-failures",
                                context.getRequiredTestMethod().getName() + "-" + engine + "-" + (i + 1) + ".png"));
                    } catch (AssertionError e) {
                        System.err.println("no failure screenshot of page " + (i + 1) + ": " + e.getMessage());
                    }
                }
            }
            List<String> problems = pages.stream().flatMap(page -> page.problems().stream()).toList();
            if (!problems.isEmpty()) {
                throw new AssertionError("a page " + String.join("; ", problems));
            }
        } finally {
            pages.forEach(ChatPage::close);
            pages.clear();
        }
    }
}
