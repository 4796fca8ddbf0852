package dev.parley.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

/** Tokens as an application's backend would mint them, and the bad ones an attacker would try. */
public final class TestTokens {
    /** The HMAC secret the identity suites' servers are given. */
    public static final String SECRET = "the-identity-suites-secret-0123456789abcdef";
    public static final String ISSUER = "https://login.example.test/realms/parley";
    public static final String AUDIENCE = "parley-chat";

    private TestTokens() {
    }

    /** Claims for {@code user}, valid for an hour, with the suites' iss and aud. */
    public static JWTClaimsSet.Builder claims(String user) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(user).issuer(ISSUER).audience(AUDIENCE).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))));
    }

    /** HS256 with {@link #SECRET}. */
    public static String hs256(JWTClaimsSet.Builder claims) {
        return sign(JWSAlgorithm.HS256, claims, macSigner(SECRET));
    }

    public static String hs256(String user) {
        return hs256(claims(user));
    }

    /** {@code user}'s token expiring at {@code exp}. */
    public static String expiringAt(String user, Instant exp) {
        return hs256(claims(user).expirationTime(Date.from(exp)));
    }

    public static String withRooms(String user, String... rooms) {
        return hs256(claims(user).claim("rooms", List.of(rooms)));
    }

    public static String sign(JWSAlgorithm algorithm, JWTClaimsSet.Builder claims, JWSSigner signer) {
        return sign(new JWSHeader.Builder(algorithm).build(), claims, signer);
    }

    public static String sign(JWSHeader header, JWTClaimsSet.Builder claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    public static JWSSigner macSigner(String secret) {
        try {
            return new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JWSSigner signer(JWK key) {
        try {
            return key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * HS384 with {@code secret}, signed by hand: nimbus signs HS384 only with a key of 384
     * bits or more, an attacker's code need not.
     */
    public static String hs384(JWTClaimsSet.Builder claims, String secret) {
        String signed = Base64URL.encode("{\"alg\":\"HS384\",\"typ\":\"JWT\"}") + "."
                + Base64URL.encode(claims.build().toString());
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA384");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA384"));
            return signed + "." + Base64URL.encode(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none}: no signature at all. */
    public static String unsigned(String user) {
        return new PlainJWT(claims(user).build()).serialize();
    }

    /** A good token whose payload was changed after signing (the signature no longer fits). */
    public static String tampered(String user, String into) {
        String[] parts = hs256(user).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        return parts[0] + "." + Base64URL.encode(payload.replace("\"" + user + "\"", "\"" + into + "\"")) + "." + parts[2];
    }

    public static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey ecKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed with {@code key}, its kid in the header. */
    public static String signedWith(JWK key, JWTClaimsSet.Builder claims) {
        JWSAlgorithm algorithm = key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
        return sign(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims, signer(key));
    }

    /** The key's public half as a PEM file ("BEGIN PUBLIC KEY"), as openssl writes it. */
    public static Path publicKeyPem(JWK key, Path folder) {
        try {
            PublicKey publicKey = key instanceof RSAKey rsa ? rsa.toPublicKey() : ((ECKey) key).toPublicKey();
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(publicKey.getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            Path file = Files.createTempFile(folder, "key-", ".pem");
            Files.writeString(file, pem);
            return file;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Claims changed by {@code change}, from {@link #claims}. */
    public static JWTClaimsSet.Builder claims(String user, UnaryOperator<JWTClaimsSet.Builder> change) {
        return change.apply(claims(user));
    }
}
