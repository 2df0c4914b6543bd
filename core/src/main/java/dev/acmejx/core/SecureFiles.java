package dev.acmejx.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * File writes that survive crashes and never expose a secret: files are created with their final permissions
 * before a byte is written, flushed to disk, and put in place by rename; directories are fsynced so the rename
 * itself is durable.
 */
final class SecureFiles {

    static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> PUBLIC_DIR = PosixFilePermissions.fromString("rwxr-xr-x");

    private SecureFiles() {
    }

    /** Creates {@code dir} and missing parents with {@code perms}; existing directories are left as they are. */
    static Path directories(Path dir, Set<PosixFilePermission> perms) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                directories(parent, PUBLIC_DIR);
            }
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(perms));
            Files.setPosixFilePermissions(dir, perms);
            if (parent != null) {
                fsyncDirectory(parent);
            }
        }
        return dir;
    }

    /** Writes a new file that must not exist yet, with {@code perms} from the start, and fsyncs it. */
    static void createNew(Path file, byte[] content, Set<PosixFilePermission> perms) throws IOException {
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(perms))) {
            Files.setPosixFilePermissions(file, perms);
            channel.write(ByteBuffer.wrap(content));
            channel.force(true);
        }
    }

    /** Replaces {@code file} atomically: readers see the old content or the new, never a mix. */
    static void replace(Path file, byte[] content, Set<PosixFilePermission> perms) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".new");
        Files.deleteIfExists(temp);
        createNew(temp, content, perms);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(file.toAbsolutePath().getParent());
    }

    /** Points {@code link} at {@code target} by renaming a new link over it, so it is never missing. */
    static void relink(Path link, Path target) throws IOException {
        Path temp = link.resolveSibling("." + link.getFileName() + ".new");
        Files.deleteIfExists(temp);
        Files.createSymbolicLink(temp, target);
        Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE);
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
