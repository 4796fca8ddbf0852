package dev.parley.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The test's own Redis answers PING, is gone when killed, comes back on its port, and can hang. */
class RedisServerTest {
    private static final Duration WAIT = Duration.ofMillis(500);

    private final RedisServer redis = new RedisServer();

    @BeforeEach
    void start() {
        redis.start();
    }

    @AfterEach
    void kill() {
        redis.close();
    }

    @Test
    void itAnswersPingOnItsPortAndUrl() throws Exception {
        assertEquals("+PONG", RedisServer.ping(redis.address(), WAIT));
        assertEquals("redis://127.0.0.1:" + redis.port(), redis.url());
    }

    @Test
    void killedItRefusesConnectionsAndStartedAgainItAnswersOnTheSamePort() throws Exception {
        int port = redis.port();
        redis.kill();
        assertFalse(redis.isAlive());
        assertThrows(ConnectException.class, () -> RedisServer.ping(redis.address(), WAIT));

        redis.start();
        assertEquals(port, redis.port());
        assertEquals("+PONG", RedisServer.ping(redis.address(), WAIT));
    }

    @Test
    void pausedItAcceptsButNeverAnswersAndResumedItAnswersAgain() throws Exception {
        redis.pause();
        assertThrows(SocketTimeoutException.class, () -> RedisServer.ping(redis.address(), WAIT));
        assertTrue(redis.isAlive());

        redis.resume();
        assertEquals("+PONG", RedisServer.ping(redis.address(), Duration.ofSeconds(5)));
    }

    @Test
    void aPausedServerCanBeKilled() throws Exception {
        redis.pause();
        redis.kill();
        assertThrows(ConnectException.class, () -> RedisServer.ping(redis.address(), WAIT));
    }
}
