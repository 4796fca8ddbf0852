package dev.parley.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedisScriptsTest {
    private static final List<String> ALL = List.of(RedisScripts.CLAIM, RedisScripts.RELEASE, RedisScripts.HEARTBEAT,
            RedisScripts.REAP, RedisScripts.LEAVE, RedisScripts.RESTORE);

    @Test
    void eachScriptIsReadFromTheClassPathWithTheFilesItIncludesFirst() {
        assertTrue(RedisScripts.CLAIM.startsWith("local t = redis.call('TIME')"));
        assertTrue(RedisScripts.CLAIM.contains("local function without(holders, node)"));
        assertTrue(RedisScripts.RELEASE.startsWith("local function without(holders, node)"));
        assertTrue(RedisScripts.REAP.indexOf("local function count(") < RedisScripts.REAP.indexOf("local function remove("));
        assertTrue(RedisScripts.LEAVE.endsWith("return remove(ARGV[1], ARGV[2], {})\n"));
        assertTrue(RedisScripts.RESTORE.contains("local entry = room .. '\\n' .. user"), "Lua's own escape, as written");
    }

    @Test
    void theCommentsThatSayWhatAScriptTakesStayInItsFile() {
        for (String script : ALL) {
            assertFalse(script.contains("--"), script);
        }
    }
}
