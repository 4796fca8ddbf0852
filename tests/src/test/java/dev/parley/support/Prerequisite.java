package dev.parley.support;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (a PostgreSQL, a Redis, a binary): where it is
 * missing the test is skipped, saying why; with CI=true it fails instead.
 */
public final class Prerequisite {
    private Prerequisite() {
    }

    /** Never returns: aborts the test, or with CI=true throws an AssertionError. */
    public static <V> V missing(String why, Throwable cause) {
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(why + ": required in CI", cause);
        }
        return Assumptions.abort("skipped: " + why + (cause == null ? "" : " (" + cause + ")"));
    }
}
