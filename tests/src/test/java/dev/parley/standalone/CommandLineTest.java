package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.ConfigException;
import dev.parley.config.ParleyConfig;
import dev.parley.support.Project;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code parley ARGUMENTS}: what is asked for on stdout with status 0, a mistake named on stderr with status 2. */
class CommandLineTest {
    private static final Supplier<ParleyConfig> UNREAD = () -> {
        throw new AssertionError("the settings were read");
    };

    /** What one command line printed and returned. */
    private record Ran(int code, String out, String err) {
    }

    private static Ran run(Supplier<ParleyConfig> config, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CommandLine.run(args, config, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Ran run(String... args) {
        return run(UNREAD, args);
    }

    @Test
    void helpInEachSpellingPrintsTheUsage() {
        for (String help : new String[] {"help", "-h", "--help"}) {
            assertEquals(new Ran(0, CommandLine.USAGE + "\n", ""), run(help), help);
        }
        assertEquals(new Ran(0, CommandLine.USAGE + "\n", ""), run("help", "help"));
    }

    @Test
    void theUsageSaysUsageOnceAndNamesTheCommandsAndTheSettings() {
        assertEquals(1, Pattern.compile("usage:").matcher(CommandLine.USAGE).results().count(), CommandLine.USAGE);
        assertTrue(CommandLine.USAGE.startsWith("usage: parley [COMMAND]\n"), CommandLine.USAGE);
        for (String named : new String[] {"(no command)       start the server", "\n  token --user NAME ",
                "\n  help [COMMAND] ", "\n  --version ", "PARLEY_"}) {
            assertTrue(CommandLine.USAGE.contains(named), named + " in " + CommandLine.USAGE);
        }
    }

    @Test
    void helpOnTheTokenCommandPrintsItsUsage() {
        assertEquals(new Ran(0, TokenCommand.USAGE + "\n", ""), run("help", "token"));
        assertEquals(new Ran(0, TokenCommand.USAGE + "\n", ""), run("--help", "token"));
        assertEquals(new Ran(0, TokenCommand.USAGE + "\n", ""), run("token", "--help"));
        assertEquals(1, Pattern.compile("usage:").matcher(TokenCommand.USAGE).results().count(), TokenCommand.USAGE);
    }

    @Test
    void anUnknownCommandOrOptionIsNamedThenTheUsage() {
        assertEquals(new Ran(2, "", "parley: unknown command start\n" + CommandLine.USAGE + "\n"), run("start"));
        assertEquals(new Ran(2, "", "parley: unknown option --port\n" + CommandLine.USAGE + "\n"), run("--port", "9000"));
        assertEquals(new Ran(2, "", "parley: unknown command stop\n" + CommandLine.USAGE + "\n"), run("help", "stop"));
        assertEquals(new Ran(2, "", "parley: help takes one command, not 2\n" + CommandLine.USAGE + "\n"),
                run("help", "token", "help"));
    }

    /** What git says HEAD is, as the build asked it; "unknown" where it cannot say (no .git, no git). */
    private static String headCommit() throws Exception {
        Process git = new ProcessBuilder("git", "rev-parse", "--short=7", "HEAD").directory(Project.file("standalone").toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0 ? head : "unknown";
    }

    @Test
    void versionSaysTheVersionAndTheCommitBuilt() throws Exception {
        String version = System.getProperty("parley.version");
        assertNotNull(version, "the build passes parley.version (tests/pom.xml)");
        assertEquals(new Ran(0, "parley " + version + " (commit " + headCommit() + ")\n", ""), run("--version"));
        assertEquals(new Ran(2, "", "parley: --version takes no argument, not now\n" + CommandLine.USAGE + "\n"),
                run("--version", "now"));
    }

    @Test
    void aBadSettingEndsACommandThatNeedsTheSettingsWithOneLine() {
        assertEquals(new Ran(2, "", "parley: PARLEY_TOKEN_SECRET must be at least 32 bytes\n"), run(() -> {
            throw new ConfigException("PARLEY_TOKEN_SECRET must be at least 32 bytes");
        }, "token", "--user", "ada"));
    }
}
