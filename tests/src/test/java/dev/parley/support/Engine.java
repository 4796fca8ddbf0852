package dev.parley.support;

import java.nio.file.Path;

/**
 * The two browser engines every browser test runs in, each the system's own (Debian's
 * packages, or the path in the environment variable): never a downloaded browser.
 */
public enum Engine {
    CHROMIUM("chromium", "PARLEY_CHROMIUM", "/usr/bin/chromium", "chromium"),
    FIREFOX("firefox", "PARLEY_FIREFOX", "/usr/bin/firefox-esr", "firefox-esr");

    private final String label;
    private final String variable;
    private final String standardPath;
    private final String debianPackage;

    Engine(String label, String variable, String standardPath, String debianPackage) {
        this.label = label;
        this.variable = variable;
        this.standardPath = standardPath;
        this.debianPackage = debianPackage;
    }

    /** "chromium", "firefox": the driver's name for it, and the prefix of its screenshots. */
    public String label() {
        return label;
    }

    public Path executable() {
        return Path.of(System.getenv().getOrDefault(variable, standardPath));
    }

    /** Why it cannot run here, for a skipped (or, with CI=true, failed) test. */
    String missing() {
        return "no " + label + " at " + executable() + " (apt-get install " + debianPackage + ", or set " + variable + ")";
    }

    @Override
    public String toString() {
        return label;
    }
}
