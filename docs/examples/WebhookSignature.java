import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a Parley webhook event's signature with the JDK alone (docs/SERVER-API.md):
 * {@code Parley-Signature: t=UNIX_SECONDS,v1=HEX}, HEX the HMAC-SHA256 of {@code t + "." + body}
 * keyed with PARLEY_WEBHOOK_SECRET; {@code t} within 5 minutes. Copy {@link #verify} into a
 * receiver, or try it: {@code java WebhookSignature.java SECRET 'HEADER' BODY_FILE}.
 */
public final class WebhookSignature {
    private static final Pattern HEADER = Pattern.compile("t=(\\d{1,12}),v1=([0-9a-f]{64})");

    /** Whether {@code header} signs {@code body} (exactly as received) with {@code secret}, now. */
    public static boolean verify(String secret, String header, byte[] body, Instant now) {
        Matcher parts = header == null ? null : HEADER.matcher(header);
        if (parts == null || !parts.matches()) {
            return false;
        }
        long t = Long.parseLong(parts.group(1));
        if (Math.abs(now.getEpochSecond() - t) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(parts.group(2))); // constant time
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        boolean ok = verify(args[0], args[1], Files.readAllBytes(Path.of(args[2])), Instant.now());
        System.out.println(ok ? "verified" : "not verified");
        System.exit(ok ? 0 : 1);
    }
}
