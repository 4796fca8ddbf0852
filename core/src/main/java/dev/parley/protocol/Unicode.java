package dev.parley.protocol;

import java.text.Normalizer;

/**
 * The text rules of PROTOCOL.md: lengths count code points, and white space is what
 * {@link Character#isWhitespace} or Unicode's White_Space property calls so. Strings
 * from a client must also be valid Unicode: a JSON escape can name half a surrogate
 * pair, which no encoder can write back out.
 */
final class Unicode {
    private Unicode() {
    }

    static boolean isWhiteSpace(int codePoint) {
        // isSpaceChar adds the no-break spaces (U+00A0, U+2007, U+202F); U+0085 is the
        // only other White_Space code point that isWhitespace leaves out.
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || codePoint == 0x85;
    }

    /** The string without leading and trailing white space. */
    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end) {
            int cp = s.codePointAt(start);
            if (!isWhiteSpace(cp)) {
                break;
            }
            start += Character.charCount(cp);
        }
        while (end > start) {
            int cp = s.codePointBefore(end);
            if (!isWhiteSpace(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(start, end);
    }

    static boolean isBlank(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!isWhiteSpace(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    static boolean hasWhitespace(String s) {
        return s.codePoints().anyMatch(Unicode::isWhiteSpace);
    }

    static boolean hasControl(String s) {
        return s.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL);
    }

    /** Whether every surrogate in s is half of a pair, so that s can be written as UTF-8. */
    static boolean isValid(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /** A name in its one spelling (NFC), so that "é" typed two ways is one name. */
    static String normalize(String name) {
        return Normalizer.isNormalized(name, Normalizer.Form.NFC) ? name : Normalizer.normalize(name, Normalizer.Form.NFC);
    }

    /**
     * Whether a name holds something that can make it look like another name or hide
     * what it is: format characters (bidi controls U+202A-U+202E and U+2066-U+2069, zero
     * width U+200B-U+200F and U+2060, U+FEFF, soft hyphen and the like: category Cf), line
     * and paragraph separators, and the characters that render as blank without being
     * white space (Hangul fillers, U+034F, U+17B4/5, U+2800).
     */
    static boolean hasInvisible(String name) {
        return name.codePoints().anyMatch(Unicode::isInvisible);
    }

    private static boolean isInvisible(int cp) {
        switch (Character.getType(cp)) {
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return true;
            default:
                return cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5 || cp == 0x2800
                        || cp == 0x3164 || cp == 0xFFA0;
        }
    }

    /** Whether s has more than max code points; cheap when the answer is obvious. */
    static boolean longerThan(String s, int max) {
        int chars = s.length();
        if (chars <= max) {
            return false;
        }
        if (chars > 2 * max) {
            return true;
        }
        return s.codePointCount(0, chars) > max;
    }
}
