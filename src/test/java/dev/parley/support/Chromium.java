package dev.parley.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The system's Chromium (Debian's {@code chromium} package, or PARLEY_CHROMIUM), headless,
 * driven by Playwright. One browser per JVM; every {@link #open} is a new browser context,
 * so each simulated user has its own storage, like a separate person. Without Chromium the
 * tests are skipped, saying so; with CI=true a missing Chromium is a failure.
 *
 * <p>After each test its pages are closed; a test that failed leaves a screenshot of every
 * page in target/browser-failures/. A page that threw a script error, or fetched anything
 * from anywhere but the server that served it, fails the test.
 */
public final class Chromium implements BeforeEachCallback, AfterEachCallback {
    private static final Path EXECUTABLE = Path.of(System.getenv().getOrDefault("PARLEY_CHROMIUM", "/usr/bin/chromium"));
    private static final List<String> FLAGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");

    private Browser browser;
    private final List<ChatPage> pages = new ArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) {
        browser = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Shared.class, key -> Shared.launch(), Shared.class).browser;
    }

    /** A new user: its own context (cookies, storage) and one page at {@code url}, 1280×800. */
    public ChatPage open(URI url) {
        return open(url, 1280, 800);
    }

    public ChatPage open(URI url, int width, int height) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height));
        ChatPage page = new ChatPage(context.newPage());
        pages.add(page);
        page.navigate(url);
        return page;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (context.getExecutionException().isPresent()) {
                for (int i = 0; i < pages.size(); i++) {
                    pages.get(i).screenshot(Path.of("target", "browser-failures",
                            context.getRequiredTestMethod().getName() + "-" + (i + 1) + ".png"));
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

    /** Playwright and the browser, closed when the test run ends. */
    private record Shared(Playwright playwright, Browser browser) implements ExtensionContext.Store.CloseableResource {
        static Shared launch() {
            if (!Files.isExecutable(EXECUTABLE)) {
                String why = "no Chromium at " + EXECUTABLE + " (apt-get install chromium, or set PARLEY_CHROMIUM)";
                if ("true".equals(System.getenv("CI"))) {
                    throw new AssertionError(why + ": the browser tests must run in CI");
                }
                Assumptions.abort("skipped: " + why);
            }
            // Playwright would download its own browsers on start: this machine uses the system's.
            Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                    .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
            PlaywrightAssertions.setDefaultAssertionTimeout(ChatClient.TIMEOUT.toMillis());
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(EXECUTABLE).setHeadless(true).setArgs(FLAGS));
            return new Shared(playwright, browser);
        }

        @Override
        public void close() {
            playwright.close();
        }
    }
}
