package dev.parley.support;

import java.util.List;
import java.util.Random;

/**
 * Hostile frames from a seeded generator, for the live fuzz run: valid frames with one
 * member broken, JSON escapes that name half a surrogate pair, deep nesting, huge
 * numbers, random characters. Each says whether Parley must answer it with an error.
 */
public final class FrameFuzzer {
    private static final List<String> TYPES = List.of("join", "message", "direct", "typing", "history", "rooms", "ping",
            "Message", "nope", "", "edit", "delete", "react", "read", "mute", "ban", "unmute", "unban");
    private static final List<String> MEMBERS = List.of("type", "user", "text", "to", "cid", "since", "before", "limit",
            "ref", "emoji", "on", "reply_to", "seq", "seconds");
    private static final List<String> VALUES = List.of("null", "true", "0", "-1", "1.5", "1e999999999", "[]", "{}",
            "\"\"", "\" \"", "\"\\ud800\"", "\"a\\udc00\"", "\"\\ud83d\\ude00\"", "\"\\u0000\"", "\"\\u202e\"",
            "\"e\\u0301\"", "9223372036854775808", "\"" + "x".repeat(70) + "\"", "[\"\\udfff\"]", "{\"\\ud800\":1}",
            "-1e-999999999", "1" + "0".repeat(1200), "01", "1.", "NaN", "\"\\x\"", "\"\\u12\"", "\"\\u200b\"",
            "{\"type\":\"ping\"}", "[[[[[[[[[[1]]]]]]]]]]", "\"" + "a".repeat(5000) + "\"");

    private final Random random;

    /** A frame and whether it must get an error (else any documented answer, or none). */
    public record Frame(String text, boolean mustFail) {
    }

    public FrameFuzzer(long seed) {
        this.random = new Random(seed);
    }

    public Frame next() {
        switch (random.nextInt(7)) {
            case 0:
                return new Frame(mutated(), false);
            case 1:
                return new Frame("{\"type\":\"" + pick(List.of("message", "direct")) + "\",\"to\":\"ann\",\"text\":\"a"
                        + pick(List.of("\\ud800", "\\udfff", "\\udbff\\udbff")) + "\",\"cid\":\"c" + random.nextInt(99)
                        + "\"}", true);
            case 2:
                return new Frame(deep(), true);
            case 3:
                return new Frame("{\"type\":\"ping\",\"n\":" + "9".repeat(1101 + random.nextInt(3000)) + "}", true);
            case 4:
                return new Frame("{\"type\":\"ping\",\"x\":" + pick(List.of("\"\\ud800\"", "[\"\\udc00\"]",
                        "{\"\\udbff\":0}", "{\"a\":[{\"b\":\"\\ud800x\"}]}")) + "}", true);
            case 5:
                return new Frame(rawString(), false);
            default:
                return new Frame("!" + garbage(), true);
        }
    }

    /** The next frame that can go on the wire: UTF-8 has no encoding for an unpaired surrogate itself (only JSON's escape). */
    public Frame nextOnTheWire() {
        while (true) {
            Frame frame = next();
            if (java.nio.charset.StandardCharsets.UTF_8.newEncoder().canEncode(frame.text())) {
                return frame;
            }
        }
    }

    private String mutated() {
        return "{\"type\":\"" + pick(TYPES) + "\",\"user\":\"u" + random.nextInt(1000) + "\",\"text\":\"hi\","
                + "\"to\":\"ann\",\"cid\":\"c\",\"ref\":" + (1 + random.nextInt(3)) + ",\"emoji\":\"e" + random.nextInt(30)
                + "\",\"on\":" + random.nextBoolean() + ",\"seq\":1,\"seconds\":60,\"" + pick(MEMBERS) + "\":"
                + pick(VALUES) + "}";
    }

    /** A frame whose text member holds any UTF-16 units, unpaired surrogates too (a decoder's input can). */
    private String rawString() {
        StringBuilder s = new StringBuilder("{\"type\":\"").append(pick(List.of("message", "join", "ping")))
                .append("\",\"text\":\"");
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            char c = (char) random.nextInt(0x10000);
            s.append(c == '"' || c == '\\' ? 'x' : c);
        }
        return s.append("\",\"user\":\"ann\"}").toString();
    }

    private String deep() {
        int depth = 1001 + random.nextInt(2000); // within the 16 KiB frame limit: 1009 is not what this is about
        String open = pick(List.of("[", "{\"a\":"));
        return "{\"type\":\"ping\",\"x\":" + open.repeat(depth) + "1";
    }

    private String garbage() {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(200);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(4);
            if (kind == 0) {
                s.append("{}[]\":,\\".charAt(random.nextInt(8)));
            } else if (kind == 1) {
                s.appendCodePoint(0x20 + random.nextInt(0x60));
            } else if (kind == 2) {
                s.append("\\u").append(String.format("%04x", random.nextInt(0x10000)));
            } else {
                int cp = random.nextInt(0x110000);
                if (!Character.isSurrogate((char) cp) || cp > 0xFFFF) {
                    s.appendCodePoint(cp);
                }
            }
        }
        return s.toString();
    }

    private String pick(List<String> items) {
        return items.get(random.nextInt(items.size()));
    }
}
