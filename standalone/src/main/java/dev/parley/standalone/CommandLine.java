package dev.parley.standalone;

import dev.parley.config.ConfigException;
import dev.parley.config.ParleyConfig;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * What {@code parley ARGUMENTS} asks for when it is not the server: help, the version, a
 * token. The settings are read only by a command that needs them, so that help and the
 * version answer whatever the environment holds. What was asked for goes to stdout with
 * status 0; a mistake to stderr with status 2, one line naming it (an unknown command or
 * option followed by the usage it missed).
 */
final class CommandLine {
    static final String USAGE = """
            usage: parley [COMMAND]
              (no command)       start the server
              token --user NAME  print a token that signs NAME in (parley help token)
              help [COMMAND]     print this, or the command's usage; also -h, --help
              --version          print the version and the commit it was built from
            Settings are environment variables, as in PARLEY_PORT=9000 parley; docs/SETTINGS.md
            lists every PARLEY_* variable, one line each, and so does the distribution's
            conf/parley.env.""";

    private CommandLine() {
    }

    /**
     * @param args   at least one
     * @param config the settings, read when a command needs them; a ConfigException ends it with status 2
     * @return the process's exit status
     */
    static int run(String[] args, Supplier<ParleyConfig> config, PrintStream out, PrintStream err) {
        try {
            return switch (args[0]) {
                case "help", "-h", "--help" -> help(args, out, err);
                case "--version" -> version(args, out, err);
                case "token" -> TokenCommand.run(args, config, out, err);
                default -> mistake((args[0].startsWith("-") ? "unknown option " : "unknown command ") + args[0], err);
            };
        } catch (ConfigException e) {
            err.println("parley: " + e.getMessage());
            return 2;
        }
    }

    private static int help(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 2) {
            return mistake("help takes one command, not " + (args.length - 1), err);
        }
        String command = args.length == 2 ? args[1] : "help";
        switch (command) {
            case "help" -> out.println(USAGE);
            case "token" -> out.println(TokenCommand.USAGE);
            default -> {
                return mistake("unknown command " + command, err);
            }
        }
        return 0;
    }

    private static int version(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 1) {
            return mistake("--version takes no argument, not " + args[1], err);
        }
        out.println(Version.line());
        return 0;
    }

    private static int mistake(String line, PrintStream err) {
        err.println("parley: " + line + "\n" + USAGE);
        return 2;
    }
}
