package dev.acmejx.core;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * {@code acmejx delete}: a lineage's renewal conf, live links and archive go, under the config dir's lock so no
 * {@code issue} or {@code renew} is writing a new version meanwhile. The renewal conf goes first, so that a run
 * interrupted half-way leaves nothing {@code renew} would try to renew; a second {@code delete} finishes it.
 */
public final class LineageRemoval {

    private static final Logger LOG = System.getLogger("acmejx.store");

    private LineageRemoval() {
    }

    /** What {@link #remove} deletes, in that order. */
    public static List<Path> paths(Lineage lineage) {
        return List.of(lineage.renewalConf(), lineage.certbotConf(), lineage.stateFile(), lineage.liveDir(),
                lineage.archiveDir());
    }

    public static void remove(Lineage lineage) throws AcmejxException {
        try (ConfigDirLock lock = ConfigDirLock.acquire(lineage.configDir())) {
            Lineage.existing(lineage.configDir(), lineage.name());
            for (Path path : paths(lineage)) {
                if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(path);
                    SecureFiles.fsyncDirectory(path.getParent());
                    LOG.log(Level.INFO, "deleted {0}", path);
                }
            }
        } catch (IOException e) {
            throw new AcmejxException("deleting " + lineage.name() + " stopped half-way: " + e.getMessage()
                    + "; fix that and run delete again to remove the rest", e);
        }
    }

    /** Removes {@code root} and everything below it; links are removed, never followed. */
    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
