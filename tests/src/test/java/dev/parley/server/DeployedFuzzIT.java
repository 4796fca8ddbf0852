package dev.parley.server;

import dev.parley.protocol.FuzzCases;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fuzz run against target/parley.war in the application server of this run. On
 * WildFly and Open Liberty the server's log file is read too: what the run added to it
 * must hold no warning, error, stack trace or (Liberty) FFDC incident. (Payara Micro logs
 * to its console, which Arquillian keeps.)
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeployedFuzzIT extends FuzzCases {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.parleyWar();
    }

    @ArquillianResource
    private URL base;

    private long logStart = -1;

    @Override
    protected URI chatUri(String room) {
        return Deployments.chatUri(base, room);
    }

    /** Liberty's messages.log: "[time] thread logger L message", L being W, E or F for a problem. */
    private static final Pattern LIBERTY_PROBLEM = Pattern.compile("^\\[[^]]+] \\p{XDigit}+ \\S+\\s+[WEF] .*");

    private static Path serverLog() {
        String launch = System.getProperty("arquillian.launch", "");
        String wildfly = System.getProperty("parley.wildfly.home");
        String liberty = System.getProperty("parley.liberty.home");
        if (launch.equals("wildfly") && wildfly != null) {
            return Path.of(wildfly, "standalone", "log", "server.log");
        }
        if (launch.equals("liberty") && liberty != null) {
            return Path.of(liberty, "usr", "servers", "parley", "logs", "messages.log");
        }
        return null;
    }

    private static boolean aProblem(String line) {
        return line.contains(" WARN ") || line.contains(" ERROR ") || line.startsWith("\tat ")
                || LIBERTY_PROBLEM.matcher(line).matches() || line.contains("FFDC1015I");
    }

    @BeforeEach
    void noteWhereTheLogIs() throws IOException {
        Path log = serverLog();
        if (log != null && Files.exists(log)) {
            logStart = Files.size(log);
        }
    }

    @Override
    protected List<String> serverLogProblems() {
        Path log = serverLog();
        if (log == null || logStart < 0) {
            return List.of();
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            file.seek(logStart);
            byte[] added = new byte[(int) (file.length() - logStart)];
            file.readFully(added);
            return new String(added, StandardCharsets.UTF_8).lines()
                    .filter(DeployedFuzzIT::aProblem)
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
