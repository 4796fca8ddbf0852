package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What war/target/parley.war carries: the servlets and filters in WEB-INF/classes, and in
 * WEB-INF/lib parley-core with only what the application server does not provide (Flyway with its Jackson, Lettuce with Netty, Reactor and SLF4J for cluster
 * mode, Micrometer with its Prometheus registry). A jar of the standalone server (Tyrus,
 * Grizzly, Weld, Parsson, HikariCP, the JDBC drivers, the Jakarta APIs) or any new
 * transitive dependency fails this until it is meant: add it below, or give it the
 * provided scope in core/pom.xml.
 */
class WarContentsIT {
    /** Artifact names (the jar's name without its version) the WAR is meant to carry. */
    private static final List<String> MEANT = List.of(
            "parley-core",
            "flyway-core", "flyway-database-derby", "flyway-database-postgresql",
            "jackson-annotations", "jackson-core", "jackson-databind", "jackson-dataformat-toml", "jackson-datatype-jsr310",
            "lettuce-core", "redis-authx-core", "nimbus-jose-jwt", "reactor-core", "reactive-streams",
            "netty-buffer", "netty-codec-base", "netty-codec-dns", "netty-common", "netty-handler", "netty-resolver",
            "netty-resolver-dns", "netty-transport", "netty-transport-native-unix-common",
            "slf4j-api", "slf4j-jdk14",
            "micrometer-commons", "micrometer-core", "micrometer-observation", "micrometer-registry-prometheus",
            "HdrHistogram", "jspecify", "prometheus-metrics-config", "prometheus-metrics-core",
            "prometheus-metrics-exposition-formats", "prometheus-metrics-exposition-textformats",
            "prometheus-metrics-model", "prometheus-metrics-tracer-common");
    private static final Pattern JAR = Pattern.compile("WEB-INF/lib/(.+?)-\\d[^/]*\\.jar");

    @Test
    void theWarCarriesWhatTheServersDoNotProvideAndNothingElse() throws IOException {
        File war = new File(System.getProperty("parley.war", "target/parley.war"));
        TreeSet<String> libs = new TreeSet<>();
        TreeSet<String> classes = new TreeSet<>();
        try (ZipFile zip = new ZipFile(war)) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                if (name.startsWith("WEB-INF/lib/") && name.endsWith(".jar")) {
                    var artifact = JAR.matcher(name);
                    libs.add(artifact.matches() ? artifact.group(1) : name);
                } else if (name.startsWith("WEB-INF/classes/dev/parley/") && name.endsWith(".class")) {
                    classes.add(name.substring("WEB-INF/classes/dev/parley/".length(), name.lastIndexOf('/') + 1));
                }
            }
        }
        assertEquals(new TreeSet<>(MEANT), libs, "WEB-INF/lib of " + war);
        assertEquals(Set.of("web/"), classes, "WEB-INF/classes: the servlets and filters (the rest is parley-core)");
    }
}
