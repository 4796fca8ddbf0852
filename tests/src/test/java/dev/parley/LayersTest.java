package dev.parley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages' layers (docs/DESIGN.md, "Layers"): an import runs down, or sideways
 * within a row, never up. Read from the sources, so that a new import that runs back up
 * fails here, not in a reviewer's head.
 */
class LayersTest {
    /** Each module's sources (pom.xml's modules, bottom to top). */
    private static final List<Path> MODULES = Stream.of("core", "war", "standalone")
            .map(module -> Project.file(module, "src", "main", "java", "dev", "parley")).toList();
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.parley\\.([a-z.]+)\\.[A-Z]",
            Pattern.MULTILINE);

    /** Bottom to top; packages in one row may import each other. */
    private static final List<List<String>> ROWS = List.of(
            List.of("config", "protocol"),
            List.of("metrics"),
            List.of("identity"),
            List.of("store", "broker"),
            List.of("room", "webhook"),
            List.of("http"),
            List.of("endpoint", "sse"),
            List.of("admin", "ops", "api"),
            List.of("web"),
            List.of("standalone.grizzly"),
            List.of("standalone.http"),
            List.of("standalone"));

    @Test
    void noImportRunsBackUpTheLayers() throws IOException {
        List<String> upward = new ArrayList<>();
        for (Path sources : MODULES) {
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String from = sources.relativize(file.getParent()).toString().replace('/', '.');
                    Matcher imports = IMPORT.matcher(Files.readString(file));
                    while (imports.find()) {
                        String to = imports.group(1);
                        if (row(to) > row(from)) {
                            upward.add(sources.relativize(file) + " imports " + to);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), upward);
    }

    @Test
    void everyPackageHasItsRow() throws IOException {
        for (Path sources : MODULES) {
            assertTrue(Files.isDirectory(sources), sources + " is missing");
            try (Stream<Path> dirs = Files.walk(sources)) {
                for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !d.equals(sources)).toList()) {
                    String name = sources.relativize(dir).toString().replace('/', '.');
                    assertTrue(row(name) >= 0, name + " is in no row of LayersTest (and docs/DESIGN.md)");
                }
            }
        }
    }

    private static int row(String pkg) {
        for (int i = 0; i < ROWS.size(); i++) {
            if (ROWS.get(i).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }
}
