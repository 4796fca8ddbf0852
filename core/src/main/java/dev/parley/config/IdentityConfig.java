package dev.parley.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;

/**
 * Who users are: off (anyone picks a free name, as PROTOCOL.md has it), or signed tokens
 * (JWTs) whose {@code sub} names the user. One of three settings turns identity on, each
 * naming the key that tokens are verified with:
 *
 * @param secret    {@code PARLEY_TOKEN_SECRET}: an HMAC key (HS256), at least 32 bytes
 * @param publicKey {@code PARLEY_TOKEN_PUBLIC_KEY}: a PEM file of an RSA (RS256) or EC P-256 (ES256) public key,
 *                  read at start-up
 * @param jwks      {@code PARLEY_TOKEN_JWKS_URL}: an identity provider's JWKS document (RS256 and ES256 keys)
 * @param issuer    {@code PARLEY_TOKEN_ISSUER}: if set, a token's {@code iss} must be exactly this
 * @param audience  {@code PARLEY_TOKEN_AUDIENCE}: if set, a token's {@code aud} must be this or hold it
 * @param tokenUrl  {@code PARLEY_TOKEN_URL}: where the web client gets a token, with the browser's cookies
 *                  (an http(s) URL, or a path on the page's own host); null: only from the page's
 *                  {@code #token=} fragment
 */
public record IdentityConfig(String secret, PublicKey publicKey, URI jwks, String issuer, String audience,
                             String tokenUrl) {
    /** HS256 takes a key of at least 256 bits (RFC 7518 3.2). */
    static final int MIN_SECRET_BYTES = 32;

    public static IdentityConfig off() {
        return new IdentityConfig(null, null, null, null, null, null);
    }

    static IdentityConfig from(Settings s) {
        String secret = emptyToNull(s.optional("PARLEY_TOKEN_SECRET")); // as it is: spaces are part of a key
        String keyFile = blankToNull(s.optional("PARLEY_TOKEN_PUBLIC_KEY"));
        String jwks = blankToNull(s.optional("PARLEY_TOKEN_JWKS_URL"));
        int set = (secret != null ? 1 : 0) + (keyFile != null ? 1 : 0) + (jwks != null ? 1 : 0);
        if (set > 1) {
            throw new ConfigException("Set one of PARLEY_TOKEN_SECRET, PARLEY_TOKEN_PUBLIC_KEY and PARLEY_TOKEN_JWKS_URL,"
                    + " not " + set);
        }
        if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new ConfigException("PARLEY_TOKEN_SECRET must be at least " + MIN_SECRET_BYTES
                    + " bytes for HS256 (openssl rand -hex 32 makes one)");
        }
        String issuer = blankToNull(s.optional("PARLEY_TOKEN_ISSUER"));
        String audience = blankToNull(s.optional("PARLEY_TOKEN_AUDIENCE"));
        String tokenUrl = blankToNull(s.optional("PARLEY_TOKEN_URL"));
        if (set == 0 && (issuer != null || audience != null || tokenUrl != null)) {
            throw new ConfigException("PARLEY_TOKEN_ISSUER, PARLEY_TOKEN_AUDIENCE and PARLEY_TOKEN_URL need a key to check"
                    + " tokens with: PARLEY_TOKEN_SECRET, PARLEY_TOKEN_PUBLIC_KEY or PARLEY_TOKEN_JWKS_URL");
        }
        return new IdentityConfig(secret, keyFile == null ? null : publicKey(Path.of(keyFile)),
                jwks == null ? null : httpUrl("PARLEY_TOKEN_JWKS_URL", jwks), issuer, audience,
                tokenUrl == null ? null : tokenUrl(tokenUrl));
    }

    /** Whether tokens name the users. */
    public boolean enabled() {
        return secret != null || publicKey != null || jwks != null;
    }

    /** For the start-up line: how tokens are checked, never the key. */
    public String describe() {
        if (!enabled()) {
            return "off (anyone picks a free name)";
        }
        String how = secret != null ? "tokens signed with HS256"
                : publicKey != null ? "tokens signed with " + ("RSA".equals(publicKey.getAlgorithm()) ? "RS256" : "ES256")
                : "tokens signed with keys from " + jwks;
        return how + (issuer == null ? "" : ", iss " + issuer) + (audience == null ? "" : ", aud " + audience);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static URI httpUrl(String variable, String value) {
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException(variable + " must be an http or https URL, not \"" + value + "\"");
    }

    /** An http(s) URL, or a path on the page's host ("/auth/chat-token"). */
    private static String tokenUrl(String value) {
        if (value.startsWith("/") && !value.startsWith("//")) {
            try {
                URI.create(value);
                return value;
            } catch (IllegalArgumentException e) {
                throw new ConfigException("PARLEY_TOKEN_URL: \"" + value + "\" is not a valid path");
            }
        }
        return httpUrl("PARLEY_TOKEN_URL", value).toString();
    }

    /**
     * The origin the web client fetches tokens from when it is not the page's own
     * ("https://login.example.com"), for the page's Content-Security-Policy; else null.
     */
    public String tokenOrigin() {
        if (tokenUrl == null || tokenUrl.startsWith("/")) {
            return null;
        }
        URI uri = URI.create(tokenUrl);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** An RSA or EC public key from a PEM file ("BEGIN PUBLIC KEY", as openssl writes one). */
    static PublicKey publicKey(Path file) {
        byte[] der = PemFiles.block(PemFiles.read("PARLEY_TOKEN_PUBLIC_KEY", file), "PUBLIC KEY");
        if (der == null) {
            throw new ConfigException("PARLEY_TOKEN_PUBLIC_KEY: " + file + " holds no \"BEGIN PUBLIC KEY\" PEM block"
                    + " (openssl pkey -pubout writes one)");
        }
        PublicKey key = PemFiles.rsaOrEc(der, (factory, bytes) -> factory.generatePublic(new X509EncodedKeySpec(bytes)));
        if (key == null) {
            throw new ConfigException("PARLEY_TOKEN_PUBLIC_KEY: " + file + " is neither an RSA nor an EC public key");
        }
        if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new ConfigException("PARLEY_TOKEN_PUBLIC_KEY: " + file + " is an EC key on another curve than P-256 (ES256)");
        }
        return key;
    }

    @Override
    public String toString() { // never the secret
        return "IdentityConfig[" + describe() + "]";
    }
}
