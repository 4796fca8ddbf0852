package dev.parley.standalone;

import dev.parley.config.IdentityConfig;
import dev.parley.identity.Tokens;
import dev.parley.protocol.InboundDecoder;
import dev.parley.protocol.ProtocolException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar parley-standalone.jar token --user ada [--rooms 'team-*,lobby'] [--ttl 1h]}:
 * prints a token signed with PARLEY_TOKEN_SECRET, for trying identity out. An application
 * mints its own with any JWT library (README, "Identity").
 */
final class TokenCommand {
    static final String USAGE = "usage: parley token --user NAME [--rooms ROOM,PREFIX*,...] [--ttl 30s|15m|1h|7d]";
    private static final Pattern TTL = Pattern.compile("(\\d{1,6})([smhd])");

    private TokenCommand() {
    }

    /** @return the process's exit status: 0 with the token on {@code out}, 2 with a line on {@code err} */
    static int run(String[] args, IdentityConfig identity, PrintStream out, PrintStream err) {
        String user = null;
        List<String> rooms = null;
        Duration ttl = Duration.ofHours(1);
        for (int i = 1; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                err.println("parley: " + args[i] + " needs a value\n" + USAGE);
                return 2;
            }
            switch (args[i]) {
                case "--user" -> user = value;
                case "--rooms" -> rooms = Arrays.stream(value.split(",")).map(String::strip).filter(r -> !r.isEmpty())
                        .toList();
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
                default -> {
                    err.println("parley: unknown option " + args[i] + "\n" + USAGE);
                    return 2;
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
        if (identity.secret() == null) {
            err.println("parley: minting a token needs PARLEY_TOKEN_SECRET"
                    + (identity.enabled() ? " (this server only holds a public key, which verifies but cannot sign)" : ""));
            return 2;
        }
        out.println(Tokens.mint(identity, user, rooms, ttl, Instant.now()));
        return 0;
    }
}
