package dev.parley.room;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret a {@code welcome} gives each connection (without identity), with which a later
 * {@code join} of the same client takes the name back at once (docs/PROTOCOL.md, "Taking a
 * name back"). The broker keeps only its key, a SHA-256 digest: what Redis holds cannot be
 * presented.
 */
final class Resume {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Resume() {
    }

    /** 128 random bits, base64url: 22 characters. */
    static String secret() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What the broker keeps of a secret and compares a presented one by. */
    static String key(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }
}
