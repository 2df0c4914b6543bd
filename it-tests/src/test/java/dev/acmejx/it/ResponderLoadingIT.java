package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve keeps the challenge code out of its memory until a challenge needs it: BouncyCastle (the certificate) and
 * JSSE (the handshake) load with the first publish, not at start, and BouncyCastle's JCA provider never loads at
 * all, since the handshakes are the JDK's own {@code SSLContext}. When they load, they come from the build's
 * class-data archive, not from their jars (README, Memory).
 */
class ResponderLoadingIT {

    private static final String KA = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"
            + ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";
    private static final String BOUNCY_CASTLE = "org.bouncycastle.";
    private static final String JSSE = "sun.security.ssl.";
    private static final String BOUNCY_CASTLE_PROVIDER = "org.bouncycastle.jce.provider.BouncyCastleProvider";

    @Test
    void theChallengeCodeLoadsWithTheFirstPublishAndBouncyCastlesProviderNever() throws Exception {
        int port = FreePorts.next();
        // The backend is a closed port: nothing here is forwarded.
        try (Serve serve = Serve.start("--listen", "127.0.0.1:" + port, "--backend", "127.0.0.1:" + FreePorts.next())) {
            assertNoneLoaded(serve, BOUNCY_CASTLE, "at start");
            assertNoneLoaded(serve, JSSE, "at start");

            Acmejx.run(List.of("challenge", "add", "--type", "tls-alpn-01", "--identifier", "lazy.test",
                    "--key-authorization", KA, "--control", serve.control().toString())).assertSuccess();
            assertEquals("acme-tls/1", TlsProbe.connect(port, "lazy.test", "acme-tls/1").alpn());

            assertFalse(loaded(serve, BOUNCY_CASTLE).isEmpty(), "the certificate was built without BouncyCastle?");
            assertFalse(loaded(serve, JSSE).isEmpty(), "the handshake was made without JSSE?");
            assertNoneLoaded(serve, BOUNCY_CASTLE_PROVIDER, "after a challenge");
            assertEquals(0, serve.stop());
        }
    }

    /**
     * BouncyCastle's classes can be in the archive only because the build ships its jars unsigned, and the
     * challenge's classes are there only because class-data.sh trains a serve that answers one.
     */
    @Test
    void theFirstChallengeLoadsItsClassesFromTheClassDataArchive(@TempDir Path dir) throws Exception {
        Path classLog = dir.resolve("class-load.log");
        int port = FreePorts.next();
        // -Xshare:on: a serve that cannot map the archive stops at start, saying why, rather than loading every class.
        List<String> archive = List.of("env", "JDK_JAVA_OPTIONS=-Xshare:on -XX:SharedArchiveFile="
                + Paths.classDataArchive() + " -Xlog:class+load=info:file=" + classLog);
        try (Serve serve = Serve.start(archive, "--listen", "127.0.0.1:" + port, "--backend",
                "127.0.0.1:" + FreePorts.next())) {
            Acmejx.run(List.of("challenge", "add", "--type", "tls-alpn-01", "--identifier", "archived.test",
                    "--key-authorization", KA, "--control", serve.control().toString())).assertSuccess();
            assertEquals("acme-tls/1", TlsProbe.connect(port, "archived.test", "acme-tls/1").alpn());
            assertEquals(0, serve.stop());
        }
        List<String> challengeClasses = classesLoaded(classLog, BOUNCY_CASTLE, JSSE);
        assertTrue(challengeClasses.stream().anyMatch(line -> line.contains("] " + BOUNCY_CASTLE)),
                "no BouncyCastle class in " + classLog);
        List<String> fromJars = challengeClasses.stream()
                .filter(line -> !line.endsWith("source: shared objects file")).toList();
        assertTrue(fromJars.isEmpty(), fromJars.size() + " of the challenge's " + challengeClasses.size()
                + " classes loaded from outside the archive, such as " + fromJars.subList(0, Math.min(5,
                fromJars.size())));
    }

    /** The lines of a {@code -Xlog:class+load} log for classes whose names start with one of {@code prefixes}. */
    private static List<String> classesLoaded(Path classLog, String... prefixes) throws IOException {
        return Files.readAllLines(classLog).stream()
                .filter(line -> List.of(prefixes).stream().anyMatch(prefix -> line.contains("] " + prefix)))
                .toList();
    }

    private static void assertNoneLoaded(Serve serve, String prefix, String when) {
        List<String> loaded = loaded(serve, prefix);
        assertTrue(loaded.isEmpty(), loaded.size() + " classes " + prefix + "* loaded " + when + ", such as "
                + loaded.subList(0, Math.min(5, loaded.size())));
    }

    /** The classes serve has loaded whose names start with {@code prefix}, from the JVM's own class hierarchy. */
    private static List<String> loaded(Serve serve, String prefix) {
        return serve.jcmd("VM.class_hierarchy").lines()
                .map(line -> line.replaceFirst("^[|\\- ]*", ""))
                .filter(name -> name.startsWith(prefix)).toList();
    }
}
