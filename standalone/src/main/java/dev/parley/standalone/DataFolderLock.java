package dev.parley.standalone;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;

/**
 * The standalone server's hold on its data folder (PARLEY_DATA): a lock on {@value #FILE}
 * there, taken before H2 opens the database, so that a second Parley on the folder is told
 * at once who has it, not H2's "file is locked" seconds later; and a folder it cannot
 * write is told in one line, not in H2's exceptions. The file says who holds it (pid,
 * port, start); the lock is what counts: the system drops it with the process, even a
 * killed one, and the file stays for the next holder to overwrite.
 */
final class DataFolderLock implements AutoCloseable {
    static final String FILE = "parley.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the folder if need be and locks it for this process.
     *
     * @param port the port this server will listen on (0 until it knows: {@link #listening})
     * @throws StartException if another Parley holds it, or this user cannot write it
     */
    static DataFolderLock take(Path dataDir, int port) {
        Path folder = dataDir.toAbsolutePath().normalize();
        FileChannel channel;
        try {
            Files.createDirectories(folder);
            channel = FileChannel.open(folder.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StartException("cannot write the data folder " + folder + " (" + why(folder, e)
                    + "): set PARLEY_DATA to a folder this user can write");
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                DataFolderLock held = new DataFolderLock(channel, lock);
                held.listening(port);
                return held;
            }
        } catch (OverlappingFileLockException e) {
            // a server in this very process holds it (tests start several in one JVM)
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StartException("cannot lock " + folder.resolve(FILE) + " (" + e.getMessage()
                    + "): set PARLEY_DATA to a folder on a local disk");
        }
        closeQuietly(channel);
        throw new StartException("another Parley" + holder(folder.resolve(FILE)) + " uses the data folder " + folder
                + ": stop it, or set PARLEY_DATA to another folder");
    }

    /** Writes who holds the folder, with the port the server listens on now that it knows it. */
    void listening(int port) {
        byte[] holder = ("pid=" + ProcessHandle.current().pid() + "\nport=" + port + "\nstarted=" + Instant.now() + "\n")
                .getBytes(StandardCharsets.UTF_8);
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder), 0);
        } catch (IOException e) {
            // the lock holds all the same; only the next one's message will name no pid
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    /** " (pid 1234, port 8080)" from the holder's file, as much of it as can be read. */
    private static String holder(Path file) {
        Properties holder = new Properties();
        try {
            holder.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            return ""; // locked against reading (Windows), or being written
        }
        String pid = holder.getProperty("pid");
        String port = holder.getProperty("port", "0");
        if (pid == null) {
            return "";
        }
        return " (pid " + pid + (port.equals("0") ? "" : ", port " + port) + ")";
    }

    /** Why the folder cannot be written, in a few words. */
    private static String why(Path folder, IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        for (Path path = folder; path != null; path = path.getParent()) {
            if (Files.isRegularFile(path)) {
                return path.equals(folder) ? "it is a file" : path + " is a file";
            }
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason().toLowerCase(Locale.ROOT);
        }
        return e.getMessage();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing held on it is left to lose
        }
    }
}
