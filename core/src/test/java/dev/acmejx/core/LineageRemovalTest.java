package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code delete}: exactly one lineage's files go, and unknown names are refused with the known ones. */
class LineageRemovalTest {

    @TempDir
    Path configDir;

    @Test
    void removesTheThreePathsAndLeavesOtherLineagesAlone() throws Exception {
        Lineage gone = save("a.test");
        Lineage kept = save("b.test");

        LineageRemoval.remove(gone);

        for (Path path : LineageRemoval.paths(gone)) {
            assertFalse(Files.exists(path), path + " is still there");
        }
        assertTrue(Files.isRegularFile(kept.live("privkey")));
        assertTrue(Files.isRegularFile(kept.renewalConf()));
        assertEquals(List.of("b.test"), Lineage.known(configDir));
    }

    @Test
    void halfRemovedLineageIsStillKnownAndRemovedCompletely() throws Exception {
        Lineage lineage = save("a.test");
        Files.delete(lineage.renewalConf());

        assertEquals(List.of("a.test"), Lineage.known(configDir));
        LineageRemoval.remove(lineage);
        assertEquals(List.of(), Lineage.known(configDir));
    }

    @Test
    void unknownNameIsRefusedWithTheKnownOnes() throws Exception {
        save("a.test");
        save("b.test");

        AcmejxException e = assertThrows(AcmejxException.class, () -> Lineage.existing(configDir, "c.test"));

        assertTrue(e.getMessage().contains("'c.test'") && e.getMessage().endsWith("there are: a.test, b.test"),
                e.getMessage());
    }

    @Test
    void whileAnotherRunHoldsTheLockNothingIsRemoved() throws Exception {
        Lineage lineage = save("a.test");
        try (ConfigDirLock lock = ConfigDirLock.acquire(configDir)) {
            assertThrows(AcmejxException.class, () -> LineageRemoval.remove(lineage));
        }
        assertTrue(Files.isRegularFile(lineage.live("cert")));
    }

    private Lineage save(String name) throws Exception {
        Lineage lineage = Lineage.of(configDir, name);
        Instant now = Instant.now();
        TestCertificates.Issued issued = TestCertificates.chain(List.of(name), now, now.plus(Duration.ofDays(1)));
        new CertificateStore().save(lineage, issued.leafKey().getPrivate(), issued.chain(),
                RenewalConf.of(lineage, "test", Map.of("domains", name)));
        return lineage;
    }
}
