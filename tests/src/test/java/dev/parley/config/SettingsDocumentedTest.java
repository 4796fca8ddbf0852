package dev.parley.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.parley.support.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The settings the code reads (every {@code "PARLEY_…"} literal in the main sources), the
 * settings page (docs/SETTINGS.md, a table row each) and the distribution's
 * conf/parley.env (a commented line each) name the same settings, so that a new setting
 * cannot ship undocumented, nor a gone one stay documented.
 */
class SettingsDocumentedTest {
    private static final Pattern LITERAL = Pattern.compile("\"(PARLEY_[A-Z0-9_]+)\"");
    private static final Pattern ROW = Pattern.compile("^\\| `(PARLEY_[A-Z0-9_]+)` \\|(.*)$", Pattern.MULTILINE);
    private static final Pattern ENV_LINE = Pattern.compile("^# (PARLEY_[A-Z0-9_]+)=", Pattern.MULTILINE);

    @Test
    void theSettingsPageNamesEverySettingTheCodeReads() throws IOException {
        assertEquals(inCode(), rows(false), "docs/SETTINGS.md against the code");
    }

    @Test
    void theDistributionsEnvFileNamesEveryStandaloneSetting() throws IOException {
        Set<String> env = matches(ENV_LINE, Files.readString(Project.file("standalone", "src", "dist", "conf", "parley.env")));
        Set<String> standalone = rows(true);
        assertEquals(standalone, env, "conf/parley.env against docs/SETTINGS.md (less the WAR's own)");
    }

    @Test
    void theEnvFileSetsNothing() throws IOException {
        for (String line : Files.readAllLines(Project.file("standalone", "src", "dist", "conf", "parley.env"))) {
            assertFalse(line.startsWith("PARLEY_"), "the defaults apply until an operator uncomments: " + line);
        }
    }

    private static Set<String> inCode() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String module : new String[] {"core", "standalone", "war"}) {
            try (Stream<Path> files = Files.walk(Project.file(module, "src", "main", "java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    names.addAll(matches(LITERAL, Files.readString(file)));
                }
            }
        }
        return names;
    }

    /** The page's rows; without those marked "WAR only" when asked. */
    private static Set<String> rows(boolean standaloneOnly) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher row = ROW.matcher(Files.readString(Project.file("docs", "SETTINGS.md")));
        while (row.find()) {
            if (!(standaloneOnly && row.group(2).contains("*WAR only*"))) {
                names.add(row.group(1));
            }
        }
        return names;
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
