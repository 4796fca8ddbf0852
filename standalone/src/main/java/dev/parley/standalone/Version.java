package dev.parley.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * This build's version and commit, from version.properties as the build filled it in
 * (project.version, and git rev-parse's answer: standalone/pom.xml). A build without .git
 * leaves the commit empty, and an IDE that copies the file as it is leaves the placeholders:
 * unknown then.
 */
final class Version {
    private static final String UNKNOWN = "unknown";
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,40}");

    private Version() {
    }

    /** {@code parley 0.4.0 (commit abc1234)} */
    static String line() {
        Properties build = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = build.getProperty("version", "");
        String commit = build.getProperty("commit", "");
        return "parley " + (version.isBlank() || version.contains("${") ? UNKNOWN : version) + " (commit "
                + (COMMIT.matcher(commit).matches() ? commit : UNKNOWN) + ")";
    }
}
