package dev.parley.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The signature's format, against a value openssl computed; the pauses between attempts within the contract's bounds. */
class SignatureTest {

    @Test
    void theHeaderIsTAndTheHexHmacOfTDotBody() {
        // printf '1700000000.{"id":"a"}' | openssl dgst -sha256 -hmac webhook-secret-for-the-suites-0123456789
        assertEquals("t=1700000000,v1=682600903301c1eba469fe444fa204a2a5fa16a37058adc9ca4fdc73a15cb3c1",
                new Signature("webhook-secret-for-the-suites-0123456789").header(1_700_000_000L, "{\"id\":\"a\"}"));
    }

    @RepeatedTest(20)
    void theFirstRetryIsWithinFiveSecondsThePausesGrowAndNoneIsOverTenMinutes() {
        assertTrue(Backoff.after(1).compareTo(Duration.ofSeconds(5)) <= 0, () -> "first: " + Backoff.after(1));
        assertTrue(Backoff.after(1).compareTo(Duration.ofMillis(800)) >= 0);
        assertTrue(Backoff.after(5).compareTo(Duration.ofSeconds(12)) >= 0, "16 s less a fifth at most");
        for (int failures = 1; failures < 200; failures++) {
            Duration pause = Backoff.after(failures);
            assertTrue(pause.compareTo(Duration.ofMinutes(10)) <= 0 && pause.compareTo(Duration.ofMillis(800)) >= 0,
                    () -> pause.toString());
        }
        assertTrue(Backoff.after(30).compareTo(Duration.ofMinutes(8)) >= 0, "at the cap");
    }
}
