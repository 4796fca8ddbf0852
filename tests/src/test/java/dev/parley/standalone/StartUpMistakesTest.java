package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.parley.config.ParleyConfig;
import dev.parley.support.MainRun;
import dev.parley.support.ParleyNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer gets wrong at the first start, each answered by one line on stderr,
 * nothing before it, and status 1: the data folder another Parley holds, or one this user
 * cannot write; the port in use, told before the store is opened.
 */
class StartUpMistakesTest {
    @TempDir
    Path folder;

    /** A start on 127.0.0.1 with these settings over a free port, run to its end. */
    private static MainRun start(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("PARLEY_HOST", "127.0.0.1", "PARLEY_PORT", "0"));
        all.putAll(settings);
        return MainRun.of(all);
    }

    private static MainRun refused(String line) {
        return new MainRun(1, "", "parley: " + line + "\n");
    }

    @Test
    void aDataFolderInUseNamesTheParleyThatHasIt() {
        Path data = folder.resolve("data");
        try (ParleyNode first = new ParleyNode("first", Map.of("PARLEY_DATA", data.toString()))) {
            first.start();
            assertEquals(refused("another Parley (pid " + first.pid() + ", port " + first.port() + ") uses the data folder "
                    + data + ": stop it, or set PARLEY_DATA to another folder"),
                    start(Map.of("PARLEY_DATA", data.toString())));
            first.kill();
            first.start(); // the system dropped the lock with the killed process
        }
    }

    /** In one JVM, as the tests start servers: the second is refused, and closing the first lets the folder go. */
    @Test
    void closingTheServerLetsTheDataFolderGo() throws Exception {
        ParleyConfig config = ParleyConfig.from(Map.of("PARLEY_HOST", "127.0.0.1", "PARLEY_PORT", "0", "PARLEY_DATA",
                folder.resolve("data").toString())::get, name -> null);
        try (StandaloneServer first = StandaloneServer.start(config)) {
            StartException refusal = assertThrows(StartException.class, () -> StandaloneServer.start(config));
            assertEquals("another Parley (pid " + ProcessHandle.current().pid() + ", port " + first.port()
                    + ") uses the data folder " + folder.resolve("data") + ": stop it, or set PARLEY_DATA to another folder",
                    refusal.getMessage());
        }
        StandaloneServer.start(config).close();
    }

    @Test
    void aDataFolderUnderAFileCannotBeWritten() throws Exception {
        Path file = Files.writeString(folder.resolve("notes.txt"), "not a folder");
        assertEquals(refused("cannot write the data folder " + file.resolve("data") + " (" + file
                + " is a file): set PARLEY_DATA to a folder this user can write"),
                start(Map.of("PARLEY_DATA", file.resolve("data").toString())));
        assertEquals(refused("cannot write the data folder " + file
                + " (it is a file): set PARLEY_DATA to a folder this user can write"),
                start(Map.of("PARLEY_DATA", file.toString())));
    }

    @Test
    void aDataFolderWithoutWritePermissionCannotBeWritten() throws Exception {
        Path readOnly = Files.createDirectory(folder.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        assumeFalse(Files.isWritable(readOnly),
                "this user (root) writes any folder; aDataFolderUnderAFileCannotBeWritten is the case it cannot");
        assertEquals(refused("cannot write the data folder " + readOnly.resolve("data")
                + " (permission denied): set PARLEY_DATA to a folder this user can write"),
                start(Map.of("PARLEY_DATA", readOnly.resolve("data").toString())));
    }

    /** Told before the store is opened: the data folder is not even made. */
    @Test
    void aPortInUseIsToldBeforeTheStoreOpens() throws Exception {
        Path data = folder.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(refused("port " + taken.getLocalPort()
                    + " on 127.0.0.1 is in use (by another Parley?): set PARLEY_PORT to a free one"),
                    start(Map.of("PARLEY_PORT", Integer.toString(taken.getLocalPort()), "PARLEY_DATA", data.toString())));
        }
        assertFalse(Files.exists(data), "the data folder was not made");
    }

    @Test
    void anAddressNotOfThisMachineIsToldAsSuch() {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): no machine's address, so the bind fails here, with no traffic
        assertEquals(refused("cannot listen on 192.0.2.1 (not an address of this machine): set PARLEY_HOST to one,"
                + " or to 0.0.0.0 for every interface"),
                start(Map.of("PARLEY_HOST", "192.0.2.1", "PARLEY_PORT", "8080", "PARLEY_STORE", "memory")));
    }
}
