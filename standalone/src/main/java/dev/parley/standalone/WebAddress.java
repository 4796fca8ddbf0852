package dev.parley.standalone;

/**
 * The address a browser on this machine opens the server at: its bind address, or
 * localhost when it binds every interface (0.0.0.0 or ::), which is no address to open.
 */
final class WebAddress {
    private WebAddress() {
    }

    /** Whether PARLEY_HOST binds every interface. */
    static boolean everyInterface(String host) {
        String bare = host.strip();
        return bare.isEmpty() || bare.equals("0.0.0.0") || bare.equals("::") || bare.equals("[::]");
    }

    /** {@code http://localhost:8080/}, {@code https://[::1]:8443/} */
    static String of(String host, int port, boolean secure) {
        String bare = host.strip();
        String shown = everyInterface(bare) ? "localhost"
                : bare.contains(":") && !bare.startsWith("[") ? "[" + bare + "]" // an IPv6 address
                : bare;
        return (secure ? "https" : "http") + "://" + shown + ":" + port + "/";
    }
}
