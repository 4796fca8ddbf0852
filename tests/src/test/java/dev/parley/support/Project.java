package dev.parley.support;

import java.nio.file.Path;

/**
 * The repository around the tests module: docs/, server-config/, bench/, README.md and the
 * modules' sources. The build passes its folder as {@code parley.root}; an IDE that runs a
 * test in tests/ finds it one level up.
 */
public final class Project {
    private static final Path ROOT = Path.of(System.getProperty("parley.root", "..")).toAbsolutePath().normalize();

    private Project() {
    }

    /** A file or folder of the repository, as a path from its top: {@code file("docs", "grafana")}. */
    public static Path file(String first, String... more) {
        return ROOT.resolve(Path.of(first, more));
    }
}
