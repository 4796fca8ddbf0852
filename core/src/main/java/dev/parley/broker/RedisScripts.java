package dev.parley.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Lua scripts of {@link RedisBroker}, each atomic in Redis: read once, when this class
 * is first used, from {@code dev/parley/broker/redis/*.lua} on the class path. A script is
 * its file after the files it includes ({@code now.lua}, the time; {@code holders.lua} and
 * {@code remove.lua}, shared functions); each file's leading {@code --} lines (what it
 * takes and answers) are left out of the text sent to Redis.
 */
final class RedisScripts {
    /** Claims a name for one connection; {@code claim.lua}. */
    static final String CLAIM = script("now", "holders", "claim");
    /** Gives back one connection's claim; {@code release.lua}. */
    static final String RELEASE = script("holders", "release");
    /** Renews this node, answers every node's liveness; {@code heartbeat.lua}. */
    static final String HEARTBEAT = script("now", "heartbeat");
    /** Removes what a dead node held; {@code reap.lua}. */
    static final String REAP = script("now", "holders", "remove", "reap");
    /** Removes what this node held, as it leaves; {@code leave.lua}. */
    static final String LEAVE = script("holders", "remove", "leave");
    /** A page of a room's names, and its count; {@code names.lua}. */
    static final String NAMES = script("holders", "names");
    /** Writes this node's members again when Redis is back; {@code restore.lua}. */
    static final String RESTORE = script("now", "holders", "remove", "restore");

    private RedisScripts() {
    }

    private static String script(String... files) {
        StringBuilder text = new StringBuilder();
        for (String file : files) {
            text.append(code(file + ".lua"));
        }
        return text.toString();
    }

    /** The file without its leading comment lines. */
    private static String code(String file) {
        String text;
        try (InputStream in = RedisScripts.class.getResourceAsStream("redis/" + file)) {
            if (in == null) {
                throw new IllegalStateException("dev/parley/broker/redis/" + file + " is not on the class path");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dev/parley/broker/redis/" + file, e);
        }
        int start = 0;
        while (text.startsWith("--", start)) {
            int end = text.indexOf('\n', start);
            start = end < 0 ? text.length() : end + 1;
        }
        return text.substring(start);
    }
}
