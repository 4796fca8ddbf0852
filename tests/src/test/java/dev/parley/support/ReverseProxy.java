package dev.parley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nginx, HAProxy or Apache httpd (Debian's packages) started by a test with one of the
 * configurations in {@code server-config/proxies/} as docs/PROXIES.md gives it. Only the
 * addresses change: the proxy's {@code 8000} becomes a free port, and Parley's
 * {@code 127.0.0.1:8080} (or the cluster's {@code 127.0.0.1:8081}-{@code 8083}) the
 * servers' real ones; nginx's one {@code server} line becomes one per node for a cluster.
 * Apache httpd has a configuration for one node and one for a cluster. nginx's and Apache's blocks are put in a minimal main
 * configuration of the test's own (pid and log files, temporary folders, the modules);
 * HAProxy's file is whole. Where the binary is missing the test is skipped, saying so;
 * with CI=true it fails.
 */
public final class ReverseProxy implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Path CONFIGS = Project.file("server-config", "proxies");

    public enum Kind {
        NGINX("nginx.conf", "/usr/sbin/nginx", "nginx"),
        HAPROXY("haproxy.cfg", "/usr/sbin/haproxy", "haproxy"),
        APACHE("apache.conf", "/usr/sbin/apache2", "apache2"),
        /** Apache httpd's configuration for a cluster (mod_proxy_balancer). */
        APACHE_CLUSTER("apache-cluster.conf", "/usr/sbin/apache2", "apache2");

        final String file;
        final String binary;
        final String packageName;

        Kind(String file, String binary, String packageName) {
            this.file = file;
            this.binary = binary;
            this.packageName = packageName;
        }

        /** The configuration as docs/PROXIES.md gives it. */
        public String configuration() {
            try {
                return Files.readString(CONFIGS.resolve(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return this == APACHE_CLUSTER ? "apache2 (cluster)" : packageName;
        }
    }

    private final Kind kind;
    private final int port;
    private final Path folder;
    private Process process;

    /**
     * Starts {@code kind} in front of {@code upstreams} (ports on 127.0.0.1: one for nginx's and
     * Apache's configurations, three for HAProxy's) and waits until its port takes connections.
     */
    public static ReverseProxy start(Kind kind, int... upstreams) {
        return start(kind, kind.configuration(), upstreams);
    }

    /** As {@link #start(Kind, int...)}, with another configuration in the same form (a misconfigured proxy's). */
    public static ReverseProxy start(Kind kind, String configuration, int... upstreams) {
        if (!Files.isExecutable(Path.of(kind.binary))) {
            return Prerequisite.missing("no " + kind.binary + " (apt-get install " + kind.packageName + ")", null);
        }
        ReverseProxy proxy = new ReverseProxy(kind);
        proxy.run(configuration, upstreams);
        return proxy;
    }

    private ReverseProxy(Kind kind) {
        this.kind = kind;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
            folder = Files.createTempDirectory("parley-" + kind.packageName + "-");
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx")); // workers run as nobody
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** http://127.0.0.1:port/ */
    public URI httpUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** The web client's origin as a browser that loaded it through this proxy sends it. */
    public String origin() {
        return "http://127.0.0.1:" + port;
    }

    public URI chatUri(String room) {
        return URI.create("ws://127.0.0.1:" + port + "/chat/" + room);
    }

    public URI streamUri(String room) {
        return URI.create("http://127.0.0.1:" + port + "/sse/" + room);
    }

    private void run(String configuration, int... upstreams) {
        String config = configuration.replace("8000", Integer.toString(port));
        if (kind == Kind.HAPROXY || kind == Kind.APACHE_CLUSTER) {
            for (int i = 0; i < 3; i++) {
                config = config.replace("127.0.0.1:" + (8081 + i), "127.0.0.1:" + upstreams[Math.min(i, upstreams.length - 1)]);
            }
        } else if (kind == Kind.NGINX && upstreams.length > 1) { // a cluster: one server line per node, as its comment says
            StringBuilder servers = new StringBuilder();
            for (int upstream : upstreams) {
                servers.append("    server 127.0.0.1:").append(upstream).append(";\n");
            }
            config = config.replace("    server 127.0.0.1:8080;\n", servers.toString());
        } else {
            config = config.replace("127.0.0.1:8080", "127.0.0.1:" + upstreams[0]);
        }
        try {
            Path block = folder.resolve(kind.file);
            Files.writeString(block, config);
            List<String> command = new ArrayList<>();
            switch (kind) {
                case NGINX -> {
                    Path main = folder.resolve("main.conf");
                    Files.writeString(main, String.join("\n",
                            "daemon off;", "pid " + folder.resolve("nginx.pid") + ";",
                            "error_log " + folder.resolve("error.log") + " warn;", "events {}", "http {",
                            "  access_log off;",
                            "  client_body_temp_path " + folder.resolve("body") + ";",
                            "  proxy_temp_path " + folder.resolve("proxy") + ";",
                            "  fastcgi_temp_path " + folder.resolve("fastcgi") + ";",
                            "  uwsgi_temp_path " + folder.resolve("uwsgi") + ";",
                            "  scgi_temp_path " + folder.resolve("scgi") + ";",
                            "  include " + block + ";", "}", ""));
                    command.addAll(List.of(kind.binary, "-p", folder.toString(), "-c", main.toString()));
                }
                case HAPROXY -> command.addAll(List.of(kind.binary, "-db", "-f", block.toString()));
                case APACHE, APACHE_CLUSTER -> {
                    Path main = folder.resolve("main.conf");
                    String modules = "/usr/lib/apache2/modules/";
                    Files.writeString(main, String.join("\n",
                            "ServerRoot " + folder, "ServerName 127.0.0.1", "PidFile " + folder.resolve("httpd.pid"),
                            "Mutex file:" + folder, "ErrorLog " + folder.resolve("error.log"), "LogLevel warn",
                            "User nobody", "Group nogroup",
                            "LoadModule mpm_event_module " + modules + "mod_mpm_event.so",
                            "LoadModule authz_core_module " + modules + "mod_authz_core.so",
                            "LoadModule headers_module " + modules + "mod_headers.so",
                            "LoadModule proxy_module " + modules + "mod_proxy.so",
                            "LoadModule proxy_http_module " + modules + "mod_proxy_http.so",
                            "LoadModule proxy_balancer_module " + modules + "mod_proxy_balancer.so",
                            "LoadModule lbmethod_byrequests_module " + modules + "mod_lbmethod_byrequests.so",
                            "LoadModule slotmem_shm_module " + modules + "mod_slotmem_shm.so",
                            "Listen 127.0.0.1:" + port,
                            "Include " + block, ""));
                    command.addAll(List.of(kind.binary, "-X", "-f", main.toString()));
                }
                default -> throw new IllegalStateException();
            }
            ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                    .redirectOutput(folder.resolve("output.log").toFile());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + kind, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    if (process.waitFor(50, TimeUnit.MILLISECONDS)) {
                        throw new AssertionError(kind + " exited with " + process.exitValue() + ":\n" + logs());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
        close();
        throw new AssertionError(kind + " did not listen on " + port + " within " + START_TIMEOUT.toSeconds() + " s:\n" + logs());
    }

    /** What the proxy wrote (its output and error log), for a failure's message. */
    public String logs() {
        StringBuilder text = new StringBuilder();
        for (String name : new String[] {"output.log", "error.log"}) {
            Path file = folder.resolve(name);
            try {
                if (Files.exists(file)) {
                    text.append(Files.readString(file, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                text.append(e);
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(10, TimeUnit.SECONDS)) {
                running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Apache's and nginx's children are reaped by their parent; nothing of ours is left
    }
}
