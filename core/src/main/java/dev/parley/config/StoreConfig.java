package dev.parley.config;

import java.nio.file.Path;

/**
 * Where history is kept.
 *
 * @param kind         {@code PARLEY_STORE}: jdbc (default) or memory
 * @param keep         {@code PARLEY_HISTORY_KEEP}: messages kept per room, 0 for all; by default all
 *                     with jdbc and 10000 in memory
 * @param dataDir      {@code PARLEY_DATA}: the standalone server's H2 database lives here (./data)
 * @param jdbcUrl      {@code PARLEY_JDBC_URL}: another database for the standalone server, or null
 * @param jdbcUser     {@code PARLEY_JDBC_USER}, or null
 * @param jdbcPassword {@code PARLEY_JDBC_PASSWORD}, or null
 * @param datasource   {@code PARLEY_DATASOURCE}: JNDI name of the DataSource in an application server
 * @param memoryBytes  {@code PARLEY_HISTORY_MEMORY_MB}: the memory store's bound on all rooms together,
 *                     in bytes of heap; by default a quarter of the JVM's maximum heap
 * @param chosen       whether the operator chose the store: {@code PARLEY_STORE}, {@code PARLEY_DATASOURCE}
 *                     or {@code PARLEY_JDBC_URL} is set. If not, a WAR whose server has no usable default
 *                     DataSource keeps history in memory instead of refusing to start
 */
public record StoreConfig(Kind kind, int keep, Path dataDir, String jdbcUrl, String jdbcUser, String jdbcPassword,
                          String datasource, long memoryBytes, boolean chosen) {

    public enum Kind { MEMORY, JDBC }

    public static final int MEMORY_KEEP = 10_000;

    static StoreConfig from(Settings s) {
        Kind kind = Kind.valueOf(s.choice("PARLEY_STORE", "jdbc", "jdbc", "memory").toUpperCase(java.util.Locale.ROOT));
        return new StoreConfig(kind,
                s.integer("PARLEY_HISTORY_KEEP", kind == Kind.MEMORY ? MEMORY_KEEP : 0, 0, 100_000_000),
                Path.of(s.text("PARLEY_DATA", "./data")),
                s.optional("PARLEY_JDBC_URL"),
                s.optional("PARLEY_JDBC_USER"),
                s.optional("PARLEY_JDBC_PASSWORD"),
                s.text("PARLEY_DATASOURCE", "java:comp/DefaultDataSource"),
                s.integer("PARLEY_HISTORY_MEMORY_MB", defaultMemoryMegabytes(), 1, 1024 * 1024) * MEGABYTE,
                s.optional("PARLEY_STORE") != null || s.optional("PARLEY_DATASOURCE") != null
                        || s.optional("PARLEY_JDBC_URL") != null);
    }

    /** The memory store's messages per room: PARLEY_HISTORY_KEEP if set, else {@link #MEMORY_KEEP}, also for a fallback. */
    public int memoryKeep() {
        return kind == Kind.MEMORY || keep != 0 ? keep : MEMORY_KEEP;
    }

    private static final long MEGABYTE = 1024 * 1024;

    /** A quarter of the heap this JVM may grow to, in MiB. */
    static int defaultMemoryMegabytes() {
        return (int) Math.max(1, Math.min(1024 * 1024, Runtime.getRuntime().maxMemory() / 4 / MEGABYTE));
    }

    /**
     * The standalone server's database: PARLEY_JDBC_URL, else an H2 file database in
     * PARLEY_DATA. H2 writes each commit to its file at once (WRITE_DELAY=0), so an
     * acknowledged message survives a killed process, and leaves closing to Parley.
     */
    public String standaloneUrl() {
        if (jdbcUrl != null) {
            return jdbcUrl;
        }
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("parley") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }
}
