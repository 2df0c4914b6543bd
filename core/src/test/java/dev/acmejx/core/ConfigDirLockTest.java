package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One acmejx per config dir; the cross-process case runs in it-tests against the real command. */
class ConfigDirLockTest {

    @TempDir
    Path configDir;

    @Test
    void secondHolderIsRefusedWithThePidAndThePath() throws Exception {
        try (ConfigDirLock held = ConfigDirLock.acquire(configDir)) {
            AcmejxException e = assertThrows(AcmejxException.class, () -> ConfigDirLock.acquire(configDir));
            assertTrue(e.getMessage().contains("another acmejx"), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(e.getMessage().contains(configDir.toString()), e.getMessage());
        }
    }

    @Test
    void releasedLockCanBeTakenAgain() throws Exception {
        ConfigDirLock.acquire(configDir).close();
        try (ConfigDirLock again = ConfigDirLock.acquire(configDir)) {
            assertTrue(configDir.resolve(ConfigDirLock.FILE_NAME).toFile().exists());
        }
    }

    @Test
    void missingConfigDirIsCreated() throws Exception {
        Path nested = configDir.resolve("a/b");
        try (ConfigDirLock lock = ConfigDirLock.acquire(nested)) {
            assertTrue(nested.toFile().isDirectory());
        }
    }
}
