package dev.parley.standalone;

import dev.parley.identity.IdentityCases;
import dev.parley.support.StandaloneParley;
import dev.parley.support.TestTokens;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Identity with an HMAC secret, an issuer and an audience, on the standalone server. */
class StandaloneIdentityTest extends IdentityCases {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_TOKEN_SECRET", TestTokens.SECRET,
            "PARLEY_TOKEN_ISSUER", TestTokens.ISSUER, "PARLEY_TOKEN_AUDIENCE", TestTokens.AUDIENCE));

    @Override
    protected URI chatUri(String room) {
        return SERVER.chatUri(room);
    }

    @Override
    protected URI appUri(String path) {
        return SERVER.httpUri().resolve(path);
    }
}
