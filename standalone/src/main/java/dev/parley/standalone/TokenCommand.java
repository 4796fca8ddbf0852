package dev.parley.standalone;

import dev.parley.config.IdentityConfig;
import dev.parley.config.ParleyConfig;
import dev.parley.identity.Tokens;
import dev.parley.protocol.InboundDecoder;
import dev.parley.protocol.ProtocolException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar parley-standalone.jar token --user ada [--rooms 'team-*,lobby'] [--mod lobby] [--ttl 1h] [--link]}:
 * prints a token signed with PARLEY_TOKEN_SECRET, for trying identity out, and with --link
 * a link that signs a browser in with it. An application
 * mints its own with any JWT library (docs/IDENTITY.md, "Using it").
 */
final class TokenCommand {
    static final String USAGE = """
            usage: parley token --user NAME [--rooms ROOM,PREFIX*,...] [--mod ROOM,PREFIX*,...] [--ttl 30s|15m|1h|7d] [--link]
            Prints a token signed with PARLEY_TOKEN_SECRET, for trying identity out (docs/IDENTITY.md).
              --user NAME   the user it names
              --rooms LIST  the rooms it lets into, comma-separated; PREFIX* is every room that
                            starts so (default: every room)
              --mod LIST    the rooms where the user is a moderator, in the same form (default: none)
              --ttl TIME    how long it holds: 30s, 15m, 1h (the default) or 7d
              --link        also print a link that signs a browser in, at PARLEY_HOST and
                            PARLEY_PORT, in the first room of --rooms""";
    private static final Set<String> VALUED = Set.of("--user", "--rooms", "--mod", "--ttl");
    private static final Pattern TTL = Pattern.compile("(\\d{1,6})([smhd])");

    private TokenCommand() {
    }

    /**
     * @param args   {@code token} and its options
     * @param config the settings, read once the options are known good (so --help needs none)
     * @return the process's exit status: 0 with the token (or the usage) on {@code out}, 2 with a
     *         line on {@code err}
     */
    static int run(String[] args, Supplier<ParleyConfig> config, PrintStream out, PrintStream err) {
        String user = null;
        List<String> rooms = null;
        List<String> mod = null;
        Duration ttl = Duration.ofHours(1);
        boolean link = false;
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                out.println(USAGE);
                return 0;
            }
            if (option.equals("--link")) {
                link = true;
                continue;
            }
            if (!VALUED.contains(option)) {
                err.println("parley: unknown option " + option + "\n" + USAGE);
                return 2;
            }
            if (i + 1 == args.length) {
                err.println("parley: " + option + " needs a value\n" + USAGE);
                return 2;
            }
            String value = args[++i];
            switch (option) {
                case "--user" -> user = value;
                case "--rooms" -> rooms = list(value);
                case "--mod" -> mod = list(value);
                case "--ttl" -> {
                    Matcher m = TTL.matcher(value);
                    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                        err.println("parley: --ttl takes a number and s, m, h or d (30s, 15m, 1h, 7d), not " + value);
                        return 2;
                    }
                    long n = Long.parseLong(m.group(1));
                    ttl = switch (m.group(2)) {
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    };
                }
            }
        }
        if (user == null) {
            err.println("parley: --user is required\n" + USAGE);
            return 2;
        }
        try {
            if (!InboundDecoder.validName(user).equals(user)) {
                err.println("parley: --user must be a name as it stands (no surrounding spaces, NFC)");
                return 2;
            }
        } catch (ProtocolException e) {
            err.println("parley: --user: " + e.getMessage());
            return 2;
        }
        ParleyConfig settings = config.get();
        IdentityConfig identity = settings.identity();
        if (identity.secret() == null) {
            err.println("parley: minting a token needs PARLEY_TOKEN_SECRET"
                    + (identity.enabled() ? " (this server only holds a public key, which verifies but cannot sign)" : ""));
            return 2;
        }
        String token = Tokens.mint(identity, user, rooms, mod, ttl, Instant.now());
        out.println(token);
        if (link) {
            out.println(signInLink(settings, rooms, token));
        }
        return 0;
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(r -> !r.isEmpty()).toList();
    }

    /**
     * The web client, signed in with the token: it reads {@code #room&token=…}. The room is
     * the first of --rooms, unless that is a prefix: then {@code #token=…}, and the client
     * opens its default room.
     */
    static String signInLink(ParleyConfig settings, List<String> rooms, String token) {
        String room = rooms == null || rooms.isEmpty() || rooms.get(0).contains("*") ? null : rooms.get(0);
        return WebAddress.of(settings.host(), settings.port(), settings.tls() != null) + "#"
                + (room == null ? "" : URLEncoder.encode(room, StandardCharsets.UTF_8).replace("+", "%20") + "&")
                + "token=" + token;
    }
}
