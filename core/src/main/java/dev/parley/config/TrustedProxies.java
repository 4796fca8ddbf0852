package dev.parley.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The proxies whose forwarding headers Parley believes ({@code PARLEY_TRUSTED_PROXIES}):
 * addresses and CIDR ranges, IPv4 or IPv6, comma-separated; none by default. Only literal
 * addresses: nothing here looks a name up.
 */
public final class TrustedProxies {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final TrustedProxies NONE = new TrustedProxies(List.of(), "");

    private final List<Range> ranges;
    private final String text;

    private TrustedProxies(List<Range> ranges, String text) {
        this.ranges = ranges;
        this.text = text;
    }

    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * @param value comma-separated addresses ({@code 10.0.0.5}, {@code ::1}) and ranges
     *              ({@code 10.0.0.0/8}, {@code fd00::/8})
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static TrustedProxies parse(String value) {
        List<Range> ranges = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            ranges.add(Range.parse(trimmed));
            entries.add(trimmed);
        }
        return ranges.isEmpty() ? NONE : new TrustedProxies(List.copyOf(ranges), String.join(",", entries));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether {@code address} (a literal address, as a socket gives it) is one of these; false for anything else. */
    public boolean trusts(String address) {
        if (ranges.isEmpty() || address == null) {
            return false;
        }
        byte[] bytes = literal(address);
        if (bytes == null) {
            return false;
        }
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The address a literal stands for, as bytes (4, or 16 for IPv6 except IPv4-mapped ones,
     * which count as their IPv4 address), or null for anything that is not a literal address.
     */
    static byte[] literal(String address) {
        String a = address.trim();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        if (!IPV4.matcher(a).matches() && !IPV6.matcher(a).matches()) {
            return null; // InetAddress would look a name up
        }
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustedProxies other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "none" : text;
    }

    private record Range(byte[] network, int bits) {
        static Range parse(String entry) {
            int slash = entry.indexOf('/');
            byte[] address = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("\"" + entry + "\" is not an IP address or a CIDR range");
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("\"" + entry + "\": the prefix length must be 0 to "
                            + address.length * 8);
                }
            }
            return new Range(address, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
