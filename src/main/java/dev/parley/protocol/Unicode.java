package dev.parley.protocol;

/**
 * The text rules of PROTOCOL.md: lengths count code points, and white space is what
 * {@link Character#isWhitespace} or Unicode's White_Space property calls so.
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

    static boolean hasControl(String s) {
        return s.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL);
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
