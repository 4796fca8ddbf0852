package dev.parley.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.parley.config.IdentityConfig;
import dev.parley.config.ParleyConfig;
import dev.parley.protocol.InboundDecoder;
import dev.parley.protocol.ProtocolException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the tokens (JWTs) that name users, when identity is on ({@link IdentityConfig}):
 * signed with the one algorithm the configured key is for (never the token's own say:
 * {@code alg: none} and any other algorithm are refused), {@code sub} and {@code exp}
 * present, not expired, {@code iss} and {@code aud} as configured, {@code sub} a valid
 * name as it stands, {@code rooms} (optional) an array of strings.
 */
@ApplicationScoped
public class Tokens {
    /** How far the issuer's clock may be from this node's: a token is valid until exp plus this. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(10);
    private static final Set<String> REQUIRED = Set.of("sub", "exp");

    private IdentityConfig config;
    private DefaultJWTProcessor<SecurityContext> processor;
    private JwksKeys jwks;
    private ScheduledExecutorService refresher;

    protected Tokens() {
        // for the CDI proxy
    }

    @Inject
    public Tokens(ParleyConfig config) {
        this.config = config.identity();
        if (!this.config.enabled()) {
            return;
        }
        processor = new DefaultJWTProcessor<>();
        // Keycloak, Entra ID and Auth0 write "JWT", RFC 9068 access tokens "at+jwt"; many write none
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"),
                null));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null, null, REQUIRED, null);
        claims.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        IdentityConfig identity = this.config;
        if (identity.secret() != null) {
            processor.setJWSKeySelector(new SingleKeyJWSKeySelector<>(JWSAlgorithm.HS256, hmacKey(identity.secret())));
        } else if (identity.publicKey() != null) {
            Key key = identity.publicKey();
            JWSAlgorithm algorithm = "RSA".equals(key.getAlgorithm()) ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
            processor.setJWSKeySelector(new SingleKeyJWSKeySelector<>(algorithm, key));
        } else {
            jwks = new JwksKeys(identity.jwks(), System::nanoTime);
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                    jwks));
        }
    }

    /** With a JWKS URL: the first fetch (a failure is logged, and joins fetch again), then one every few minutes. */
    @PostConstruct
    void start() {
        if (jwks != null) {
            jwks.fetchIfDue();
            refresher = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "parley-token-keys");
                thread.setDaemon(true);
                return thread;
            });
            long every = JwksKeys.REFRESH.toSeconds();
            refresher.scheduleWithFixedDelay(jwks::fetchIfDue, every, every, TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    public boolean enabled() {
        return config.enabled();
    }

    public String describe() {
        return config.describe();
    }

    /**
     * The identity a token gives.
     *
     * @throws TokenException for a token that is malformed, unsigned, signed otherwise than
     *                        configured or with an unknown key, expired, or whose claims are wrong
     */
    public Identity verify(String token) throws TokenException {
        if (!enabled()) {
            throw new IllegalStateException("identity is off");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new TokenException("The token is not a JWT.");
        } catch (ExpiredJWTException e) {
            throw new TokenException("The token has expired.");
        } catch (BadJWTException e) {
            throw new TokenException("The token must carry sub (the user's name) and exp, and be valid now.");
        } catch (BadJOSEException e) { // alg none, another algorithm, a bad signature, an unknown key
            throw new TokenException("The token's signature is not one this server accepts.");
        } catch (JOSEException | RuntimeException e) {
            throw new TokenException("The token could not be checked.");
        }
        if (config.issuer() != null && !config.issuer().equals(claims.getIssuer())) {
            throw new TokenException("The token was issued by someone this server does not trust (iss).");
        }
        if (config.audience() != null && !claims.getAudience().contains(config.audience())) {
            throw new TokenException("The token is meant for another audience (aud).");
        }
        return new Identity(user(claims.getSubject()), claims.getExpirationTime().toInstant(),
                access(claims, "rooms", RoomAccess.EVERY_ROOM), access(claims, "mod", RoomAccess.NO_ROOM));
    }

    /** {@code sub} must be a valid name as it stands: a name the rules would trim or normalize is refused. */
    private static String user(String sub) throws TokenException {
        try {
            if (InboundDecoder.validName(sub).equals(sub)) {
                return sub;
            }
        } catch (ProtocolException e) {
            // refused below
        }
        throw new TokenException("The token's subject (sub) is not a valid user name.");
    }

    /** {@code rooms} (where the user may join) or {@code mod} (where it moderates, 1.1): the same forms. */
    private static RoomAccess access(JWTClaimsSet claims, String claim, RoomAccess absent) throws TokenException {
        if (claims.getClaim(claim) == null) {
            return absent;
        }
        try {
            List<String> rooms = claims.getStringListClaim(claim);
            if (rooms.contains(null)) {
                throw new ParseException("null entry", 0);
            }
            return RoomAccess.of(rooms);
        } catch (ParseException e) {
            throw new TokenException("The token's " + claim
                    + " claim must be an array of room names or prefixes ending in *.");
        }
    }

    private static SecretKeySpec hmacKey(String secret) {
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * A token for trying identity out ({@code java -jar parley-standalone.jar token}): HS256
     * with the configured secret, {@code sub} the user, {@code exp} after {@code ttl},
     * {@code rooms} when given, {@code iss} and {@code aud} when configured.
     */
    public static String mint(IdentityConfig config, String user, List<String> rooms, Duration ttl, Instant now) {
        return mint(config, user, rooms, null, ttl, now);
    }

    /** As above, with the {@code mod} claim when {@code mod} is given: the rooms the user moderates. */
    public static String mint(IdentityConfig config, String user, List<String> rooms, List<String> mod, Duration ttl,
            Instant now) {
        if (config.secret() == null) {
            throw new IllegalArgumentException("minting a token needs PARLEY_TOKEN_SECRET: a public key only verifies");
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(user).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl))).issuer(config.issuer());
        if (config.audience() != null) {
            claims.audience(config.audience());
        }
        if (rooms != null) {
            claims.claim("rooms", rooms);
        }
        if (mod != null) {
            claims.claim("mod", mod);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(new MACSigner(config.secret().getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
