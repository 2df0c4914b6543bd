package dev.acmejx.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One acmejx at a time per config dir: an OS lock (fcntl) on {@code <config-dir>/.acmejx.lock}, released by
 * the kernel when the process dies, so a crash never leaves a stale lock behind. The holder writes its PID into
 * the file so the error can name it.
 */
public final class ConfigDirLock implements LineageLock {

    static final String FILE_NAME = ".acmejx.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private ConfigDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Another process (or this one) holds the lock: a caller that can wait tries again later. */
    public static final class Busy extends AcmejxException {
        Busy(String message) {
            super(message);
        }
    }

    /** @throws Busy when another process (or this one) holds the lock */
    public static ConfigDirLock acquire(Path configDir) throws AcmejxException {
        return acquire(configDir, false);
    }

    /**
     * Waits for the lock as long as another process holds it: for a fleet node, whose own serve takes the lock for
     * the moment it writes a version it got from the fleet, and whose renewals must not fail for that.
     */
    public static ConfigDirLock await(Path configDir) throws AcmejxException {
        return acquire(configDir, true);
    }

    private static ConfigDirLock acquire(Path configDir, boolean wait) throws AcmejxException {
        Path file;
        FileChannel channel;
        try {
            SecureFiles.directories(configDir, SecureFiles.PUBLIC_DIR);
            file = configDir.resolve(FILE_NAME);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new AcmejxException("cannot use config dir " + configDir + ": " + e.getMessage()
                    + " (run as a user who may write there, or choose another with --config-dir)", e);
        }
        FileLock lock = lock(channel, file, wait);
        if (lock != null) {
            try {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
                        .getBytes(StandardCharsets.US_ASCII)), 0);
                return new ConfigDirLock(channel, lock);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new AcmejxException("cannot write " + file + ": " + e.getMessage()
                        + " (is the file system full or read-only?)", e);
            }
        }
        String holder = holder(channel);
        closeQuietly(channel);
        throw new Busy("another acmejx" + holder + " is running on " + configDir
                + " (lock " + file + "); wait for it to finish, or stop it, and try again");
    }

    /** The lock, or null when another holds it and {@code wait} is false (or this very process holds it). */
    private static FileLock lock(FileChannel channel, Path file, boolean wait) throws AcmejxException {
        try {
            FileLock lock = channel.tryLock();
            if (lock == null && wait) {
                System.getLogger("acmejx.store").log(System.Logger.Level.INFO, "waiting for acmejx{0}, which "
                        + "holds {1}", holder(channel), file);
                lock = channel.lock();
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            return null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new AcmejxException("cannot lock " + file + ": " + e.getMessage() + " (a file system without "
                    + "POSIX locks, such as some NFS mounts, cannot hold the config dir)", e);
        }
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
            return pid.matches("\\d+") ? " (pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was written through it
        }
    }

    /** An fcntl lock is lost only with its process, so there is nothing to fence. */
    @Override
    public long fence() {
        return 0;
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
