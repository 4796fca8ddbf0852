package dev.parley.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook event's {@code Parley-Signature} header (SERVER-API.md):
 * {@code t=UNIX_SECONDS,v1=HEX}, HEX the lowercase hex HMAC-SHA256, keyed with
 * PARLEY_WEBHOOK_SECRET, of {@code t + "." + body}. A receiver recomputes it from the
 * body it got and compares in constant time, and refuses a {@code t} more than five
 * minutes away from its clock.
 */
public final class Signature {
    public static final String HEADER = "Parley-Signature";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final SecretKeySpec key;

    public Signature(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The header's value for {@code body} sent at {@code unixSeconds}. */
    public String header(long unixSeconds, String body) {
        return "t=" + unixSeconds + ",v1=" + hmac(unixSeconds + "." + body);
    }

    String hmac(String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
            char[] hex = new char[digest.length * 2];
            for (int i = 0; i < digest.length; i++) {
                hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
                hex[2 * i + 1] = HEX[digest[i] & 0xf];
            }
            return new String(hex);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
