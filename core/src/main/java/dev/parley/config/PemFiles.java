package dev.parley.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the settings that name PEM files share (PARLEY_TOKEN_PUBLIC_KEY, PARLEY_TLS_CERT,
 * PARLEY_TLS_KEY): reading the file with one line on failure, finding a block, and
 * trying the two key types Parley takes.
 */
final class PemFiles {
    private PemFiles() {
    }

    /** What a key factory makes of a block's bytes. */
    interface KeyMaker<K> {
        K make(KeyFactory factory, byte[] der) throws GeneralSecurityException;
    }

    /**
     * The file's bytes, or a ConfigException naming the file (absolute: a relative one is read
     * from the working directory, which is the usual surprise) and {@code variable}.
     */
    static byte[] read(String variable, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("no such file: " + absolute + " (" + variable + ")");
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
                    ? ((FileSystemException) e).getReason() : String.valueOf(e.getMessage());
            throw new ConfigException("cannot read " + absolute + " (" + reason.toLowerCase(Locale.ROOT) + "): " + variable
                    + " must name a file this user can read");
        }
    }

    /** The bytes of the first {@code -----BEGIN label-----} block in {@code pem}, or null if it has none. */
    static byte[] block(byte[] pem, String label) {
        Matcher m = Pattern.compile("-----BEGIN " + label + "-----([A-Za-z0-9+/=\\s]+)-----END " + label + "-----")
                .matcher(new String(pem, java.nio.charset.StandardCharsets.US_ASCII));
        return m.find() ? Base64.getMimeDecoder().decode(m.group(1)) : null;
    }

    /** The key {@code maker} makes of {@code der} as an RSA key, else as an EC key; null if it is neither. */
    static <K> K rsaOrEc(byte[] der, KeyMaker<K> maker) {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return maker.make(KeyFactory.getInstance(algorithm), der);
            } catch (InvalidKeySpecException e) {
                // the next
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }
}
