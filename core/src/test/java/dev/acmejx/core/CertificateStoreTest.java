package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certbot layout on a real file system, including what an interrupted run leaves behind. */
class CertificateStoreTest {

    @TempDir
    Path configDir;

    private final CertificateStore store = new CertificateStore();

    @Test
    void firstVersionLandsInArchiveWithRelativeLiveLinks() throws Exception {
        Lineage lineage = Lineage.of(configDir, "a.test");
        TestCertificates.Issued issued = issue("a.test", "b.test");

        LiveCertificate live = save(lineage, issued);

        assertEquals(1, live.version());
        for (String kind : Lineage.KINDS) {
            Path link = lineage.live(kind);
            assertTrue(Files.isSymbolicLink(link), kind);
            assertEquals(Path.of("../../archive/a.test/" + kind + "1.pem"), Files.readSymbolicLink(link));
            assertTrue(Files.isSameFile(link, lineage.archive(kind, 1)));
        }
        assertEquals(List.of("a.test", "b.test"), store.live(lineage).orElseThrow().names());
        assertEquals(issued.chain(), Pem.readCertificates(Files.readAllBytes(lineage.live("fullchain"))));
        assertEquals(issued.chain().subList(1, 2), Pem.readCertificates(Files.readAllBytes(lineage.live("chain"))));
        assertTrue(Files.exists(lineage.liveDir().resolve("README")));
    }

    @Test
    void keysAre0600AndArchiveAndLiveRoots0700() throws Exception {
        Lineage lineage = Lineage.of(configDir, "a.test");
        TestCertificates.Issued issued = issue("a.test");
        save(lineage, issued);

        assertEquals("rw-------", perms(lineage.archive("privkey", 1)));
        assertEquals("rw-r--r--", perms(lineage.archive("fullchain", 1)));
        assertEquals("rwx------", perms(configDir.resolve("archive")));
        assertEquals("rwx------", perms(configDir.resolve("live")));
        assertEquals("rwx------", perms(lineage.archiveDir()));
    }

    @Test
    void crashAfterArchiveWriteLeavesOldVersionLiveAndNextRunSkipsTheOrphan() throws Exception {
        Lineage lineage = Lineage.of(configDir, "a.test");
        TestCertificates.Issued first = issue("a.test");
        save(lineage, first);
        byte[] liveBefore = Files.readAllBytes(lineage.live("fullchain"));

        TestCertificates.Issued second = issue("a.test");
        int orphan = store.highestArchived(lineage) + 1;
        store.writeArchive(lineage, orphan, second.leafKey().getPrivate(), second.chain());
        // the process dies here: no link has moved

        assertEquals(2, orphan);
        LiveCertificate live = store.live(lineage).orElseThrow();
        assertEquals(1, live.version());
        assertArrayEquals(liveBefore, Files.readAllBytes(lineage.live("fullchain")));
        assertEquals(first.chain().get(0), live.certificate());

        TestCertificates.Issued third = issue("a.test");
        assertEquals(3, save(lineage, third).version());
        assertEquals(third.chain().get(0), store.live(lineage).orElseThrow().certificate());
    }

    @Test
    void crashBetweenLinkMovesIsCompletedByTheNextRun() throws Exception {
        Lineage lineage = Lineage.of(configDir, "a.test");
        TestCertificates.Issued first = issue("a.test");
        save(lineage, first);
        TestCertificates.Issued second = issue("a.test");
        int version = store.highestArchived(lineage) + 1;
        store.writeArchive(lineage, version, second.leafKey().getPrivate(), second.chain());
        SecureFiles.relink(lineage.live("cert"), lineage.linkTarget("cert", version));
        // the process dies here: cert.pem is new, privkey.pem and the chains are old

        LiveCertificate live = store.live(lineage).orElseThrow();

        assertEquals(2, live.version());
        for (String kind : Lineage.KINDS) {
            assertTrue(Files.isSameFile(lineage.live(kind), lineage.archive(kind, 2)), kind);
        }
    }

    @Test
    void adminGroupOnThePreviousKeySurvivesRenewal() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "giving a file another group needs root");
        Lineage lineage = Lineage.of(configDir, "a.test");
        TestCertificates.Issued first = issue("a.test");
        save(lineage, first);
        Path key1 = lineage.archive("privkey", 1);
        GroupPrincipal group = configDir.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByGroupName(otherGroup());
        Files.getFileAttributeView(key1, PosixFileAttributeView.class).setGroup(group);
        Files.setPosixFilePermissions(key1, PosixFilePermissions.fromString("rw-r-----"));

        TestCertificates.Issued second = issue("a.test");
        save(lineage, second);

        Path key2 = lineage.archive("privkey", 2);
        assertEquals(group, Files.readAttributes(key2, java.nio.file.attribute.PosixFileAttributes.class).group());
        assertEquals("rw-r-----", perms(key2));
    }

    @Test
    void renewalConfRoundTripsParamsThatConfigobjWouldSplitOrCut() throws Exception {
        Lineage lineage = Lineage.of(configDir, "a.test");
        String hook = "curl -d 'a,b' https://hooks.test/#x && echo \"done\"";
        RenewalConf.of(lineage, "1.0", Map.of("server", "https://ca.test/dir", "key_type", "rsa",
                "renew_hook", hook, "domains", "a.test, b.test")).write(lineage.renewalConf());

        RenewalConf read = RenewalConf.read(lineage.renewalConf());

        assertEquals("https://ca.test/dir", read.param("server").orElseThrow());
        assertEquals("rsa", read.param("key_type").orElseThrow());
        assertEquals(hook, read.param("renew_hook").orElseThrow());
        assertEquals("a.test, b.test", read.param("domains").orElseThrow());
        assertTrue(Files.readString(lineage.renewalConf()).contains("renew_hook = \"\"\"" + hook + "\"\"\""));
        assertTrue(Files.readString(lineage.renewalConf()).contains("fullchain = " + lineage.live("fullchain")));
        assertFalse(read.param("cert").isPresent(), "top-level values stay out of [renewalparams]");
    }

    @Test
    void lineageNamesThatEscapeTheirDirectoryAreRefused() {
        for (String name : List.of("../etc", "a/b", "", ".hidden", "a..b")) {
            AcmejxException e = org.junit.jupiter.api.Assertions.assertThrows(AcmejxException.class,
                    () -> Lineage.of(configDir, name), name);
            assertTrue(e.getMessage().contains("--cert-name"), e.getMessage());
        }
    }

    @Test
    void saveMarksTheDeploymentPendingUntilDeployed() throws Exception {
        Lineage lineage = Lineage.of(configDir, "a.test");
        save(lineage, issue("a.test"));

        assertTrue(store.deploymentPending(lineage));
        assertTrue(Files.exists(lineage.renewalConf()), "the conf is written before the links move");
        store.deployed(lineage);
        assertFalse(store.deploymentPending(lineage));
    }

    private LiveCertificate save(Lineage lineage, TestCertificates.Issued issued) throws Exception {
        return store.save(lineage, issued.leafKey().getPrivate(), issued.chain(),
                RenewalConf.of(lineage, "test", Map.of("server", "https://ca.test/dir")));
    }

    private static TestCertificates.Issued issue(String... names) throws Exception {
        Instant now = Instant.now();
        return TestCertificates.chain(List.of(names), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(90)));
    }

    private static String perms(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    /** A group other than the current one, so the test shows the group really is copied. */
    private static String otherGroup() throws Exception {
        for (String line : Files.readAllLines(Path.of("/etc/group"))) {
            String name = line.split(":")[0];
            if (!name.equals("root")) {
                return name;
            }
        }
        return "root";
    }
}
