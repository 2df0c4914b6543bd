package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The errors a user will hit: each a clear message, a non-zero exit, and nothing in live/ changed. */
class IssueFailuresIT extends PebbleTest {

    @Test
    void failingNameReportsTheCasProblemAndLeavesThePreviousCertificateLive() throws Exception {
        Acmejx.issue(pebble, configDir, "-d", "fails.test", "-d", "fine.test").assertSuccess();
        Path live = configDir.resolve("live/fails.test");
        byte[] fullchain = Files.readAllBytes(live.resolve("fullchain.pem"));
        byte[] privkey = Files.readAllBytes(live.resolve("privkey.pem"));
        pebble.resolve("fails.test", "127.0.0.2");
        Command.Result result;
        try {
            result = Acmejx.issue(pebble, configDir, "-d", "fails.test", "-d", "fine.test", "--force-renewal");
        } finally {
            pebble.forget("fails.test");
        }

        assertNotEquals(0, result.exit(), result.describe("failure"));
        assertTrue(result.err().contains("fails.test: urn:ietf:params:acme:error:"), result.describe("problem"));
        assertFalse(result.err().contains("fine.test: urn:"), result.describe("only the failing name"));
        assertArrayEquals(fullchain, Files.readAllBytes(live.resolve("fullchain.pem")));
        assertArrayEquals(privkey, Files.readAllBytes(live.resolve("privkey.pem")));
        assertEquals(Path.of("../../archive/fails.test/cert1.pem"), Files.readSymbolicLink(live.resolve("cert.pem")));
        Openssl.assertValidLineage(live, pebble.issuerRoot);
    }

    @Test
    void portInUseNamesThePortAndWhatToDo() throws Exception {
        Command.Result result;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            result = Acmejx.run(List.of("issue", "--server", pebble.directory.toString(), "--ca-cert",
                    pebble.caCert.toString(), "--config-dir", configDir.toString(), "--listen",
                    "127.0.0.1:" + taken.getLocalPort(), "--agree-tos", "-n", "-d", "busy.test"));
            assertTrue(result.err().contains("127.0.0.1:" + taken.getLocalPort()), result.describe("port"));
        }
        assertEquals(1, result.exit(), result.describe("exit"));
        assertTrue(result.err().contains("already in use"), result.describe("reason"));
        assertTrue(result.err().contains("--listen"), result.describe("what to do"));
        assertFalse(Files.exists(configDir.resolve("live")));
    }

    @Test
    void untrustedServerSuggestsCaCert() {
        Command.Result result = Acmejx.run(List.of("issue", "--server", pebble.directory.toString(),
                "--config-dir", configDir.toString(), "--listen", "127.0.0.1:" + pebble.tlsPort, "--agree-tos",
                "-n", "-d", "untrusted.test"));

        assertEquals(1, result.exit(), result.describe("exit"));
        assertTrue(result.err().contains(pebble.directory.toString()), result.describe("URL"));
        assertTrue(result.err().contains("--ca-cert"), result.describe("hint"));
        assertFalse(Files.exists(configDir.resolve("live")));
    }

    @Test
    void unreachableServerNamesTheUrl() {
        String nowhere = "https://localhost:" + FreePorts.next() + "/dir";
        Command.Result result = Acmejx.run(List.of("issue", "--server", nowhere, "--config-dir",
                configDir.toString(), "--listen", "127.0.0.1:" + FreePorts.next(), "--agree-tos", "-n",
                "-d", "unreachable.test"));

        assertEquals(1, result.exit(), result.describe("exit"));
        assertTrue(result.err().contains("cannot reach the ACME server at " + nowhere), result.describe("URL"));
    }

    @Test
    void invalidDomainIsRefusedBeforeAnyNetworkCall() {
        String nowhere = "https://localhost:" + FreePorts.next() + "/dir";
        Command.Result result = Acmejx.run(List.of("issue", "--server", nowhere, "--config-dir",
                configDir.toString(), "-d", "ok.test", "-d", "not_valid.test"));

        assertEquals(1, result.exit(), result.describe("exit"));
        assertTrue(result.err().contains("invalid domain 'not_valid.test'"), result.describe("message"));
        assertFalse(result.err().contains("cannot reach"), result.describe("no network call"));
        assertFalse(Files.exists(configDir.resolve(".acmejx.lock")), "refused before touching the config dir");
    }

    @Test
    void nonInteractiveWithoutAgreeTosRegistersNothing() {
        Command.Result result = Acmejx.run(List.of("issue", "--server", pebble.directory.toString(), "--ca-cert",
                pebble.caCert.toString(), "--config-dir", configDir.toString(), "--listen",
                "127.0.0.1:" + pebble.tlsPort, "--non-interactive", "-d", "tos.test"));

        assertEquals(1, result.exit(), result.describe("exit"));
        assertTrue(result.err().contains("--agree-tos"), result.describe("hint"));
        assertFalse(Files.exists(configDir.resolve("accounts")), "no account registered");
        assertFalse(Files.exists(configDir.resolve("live")));
    }

    @Test
    void anotherProcessHoldingTheConfigDirIsNamed() throws Exception {
        Files.createDirectories(configDir);
        try (FileChannel channel = FileChannel.open(configDir.resolve(".acmejx.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            Command.Result result = Acmejx.issue(pebble, configDir, "-d", "locked.test");

            assertEquals(1, result.exit(), result.describe("exit"));
            assertTrue(result.err().contains("another acmejx"), result.describe("message"));
            assertTrue(result.err().contains(configDir.toString()), result.describe("which dir"));
        }
        assertFalse(Files.exists(configDir.resolve("live")));
    }
}
