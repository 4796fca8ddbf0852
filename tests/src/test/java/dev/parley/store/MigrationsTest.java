package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.support.Rooms;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The schema's scripts: the released ones unchanged, and Derby's in step with them. */
class MigrationsTest {

    /**
     * A database that an older Parley migrated to V3 holds these checksums; Flyway
     * refuses to start on it if a script changed. A change to the schema is a new version.
     */
    @Test
    void aDatabaseMigratedByAnOlderParleyStillValidates() throws Exception {
        try (HikariDataSource database = new HikariDataSource()) {
            database.setJdbcUrl("jdbc:h2:mem:released");
            try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
                // what Parley before Derby recorded, on H2 as on PostgreSQL (the same scripts)
                statement.execute("""
                        create table "parley_schema_history" (
                            "installed_rank" int not null primary key, "version" varchar(50), "description" varchar(200) not null,
                            "type" varchar(20) not null, "script" varchar(1000) not null, "checksum" int,
                            "installed_by" varchar(100) not null, "installed_on" timestamp default current_timestamp not null,
                            "execution_time" int not null, "success" boolean not null)""");
                statement.execute("""
                        insert into "parley_schema_history" values
                        (1, '1', 'messages', 'SQL', 'V1__messages.sql', 102244980, 'sa', default, 1, true),
                        (2, '2', 'room sequence', 'SQL', 'V2__room_sequence.sql', 1691713844, 'sa', default, 1, true),
                        (3, '3', 'room closed', 'SQL', 'V3__room_closed.sql', 1259590545, 'sa', default, 1, true)""");
                statement.execute("""
                        create table parley_message (room varchar(64) not null, seq bigint not null,
                            username varchar(128) not null, body bytea not null, ts bigint not null, primary key (room, seq))""");
                statement.execute("""
                        create table parley_room (room varchar(64) not null primary key, last_seq bigint not null,
                            closed boolean default false not null)""");
            }
            HistoryStore store = new JdbcHistoryStore(database, 0);
            try {
                String room = Rooms.fresh();
                assertEquals(1, store.append(room, "ann", "hi", Instant.now()).toCompletableFuture().get(10, TimeUnit.SECONDS).seq());
            } finally {
                store.close();
            }
            assertEquals(List.of("1 success", "2 success", "3 success", "4 success", "5 success", "6 success"), history(database));
        }
    }

    /** A new version is written once for H2 and PostgreSQL and once for Derby, under the same number and name. */
    @Test
    void derbysScriptsAreTheSameVersionsAsTheOthers() throws IOException, URISyntaxException {
        List<String> others = scripts("db/migration");
        assertTrue(others.containsAll(List.of("V1__messages.sql", "V2__room_sequence.sql", "V3__room_closed.sql")), others::toString);
        assertEquals(others, scripts("db/derby"));
    }

    /** The scripts as the classpath has them: in core's classes folder, or in its jar once packaged. */
    private static List<String> scripts(String location) throws IOException, URISyntaxException {
        URI uri = MigrationsTest.class.getClassLoader().getResource(location).toURI();
        if (!"jar".equals(uri.getScheme())) {
            return list(Path.of(uri));
        }
        try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
            return list(jar.getPath(location));
        }
    }

    private static List<String> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> history(HikariDataSource database) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(
                     "select \"version\", \"success\" from \"parley_schema_history\" order by \"installed_rank\"")) {
            while (result.next()) {
                rows.add(result.getString(1) + (result.getBoolean(2) ? " success" : " failed"));
            }
        }
        return rows;
    }
}
