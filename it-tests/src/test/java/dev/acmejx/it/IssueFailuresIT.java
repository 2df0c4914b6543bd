package dev.acmejx.it;

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
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The errors a user will hit: each a clear message and a non-zero exit. Each starts from a config dir that
 * already holds a live certificate and forces a renewal, and checks afterwards that not one file or link in it
 * changed.
 */
class IssueFailuresIT extends PebbleTest {

    private static final String NAME = "base.test";

    @TempDir
    static Path baseline;

    private Map<String, String> before;

    @BeforeAll
    static void issueBaseline() throws Exception {
        Acmejx.issue(pebble, baseline, "-d", NAME).assertSuccess();
    }

    @BeforeEach
    void startFromBaseline() {
        ConfigDirs.copy(baseline, configDir);
        before = ConfigDirs.fingerprint(configDir);
    }

    @Test
    void aProfileIsRefusedBeforeOrderingByACaThatOffersNone() {
        Command.Result result = Acmejx.issue(pebble, configDir, "-d", NAME, "--force-renewal", "--profile",
                "shortlived");

        assertEquals(1, result.exit(), result.describe("refused"));
        assertTrue(result.err().contains("--profile shortlived: the CA at " + pebble.directory + " offers no "
                + "profiles (its directory has no meta.profiles); leave --profile out for this CA"),
                result.describe("the message"));
        assertFalse(result.err().contains("order created"), result.describe("nothing was ordered"));
        assertEquals(before, ConfigDirs.fingerprint(configDir), "nothing in the config dir changed");
    }

    @Test
    void failingNameReportsTheCasProblemAndLeavesThePreviousCertificateLive() throws Exception {
        pebble.resolve(NAME, "127.0.0.2");
        Command.Result result;
        try {
            result = Acmejx.issue(pebble, configDir, "-d", NAME, "-d", "fine.test", "--force-renewal");
        } finally {
            pebble.forget(NAME);
        }

        assertFailedWithoutChange(result, NAME + ": urn:ietf:params:acme:error:");
        assertFalse(result.err().contains("fine.test: urn:"), result.describe("only the failing name"));
        Openssl.assertValidLineage(configDir.resolve("live/" + NAME), pebble.issuerRoot);
    }

    @Test
    void portInUseNamesThePortAndWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Command.Result result = Acmejx.run(List.of("issue", "--server", pebble.directory.toString(),
                    "--ca-cert", pebble.caCert.toString(), "--config-dir", configDir.toString(), "--listen",
                    "127.0.0.1:" + taken.getLocalPort(), "--control", configDir.resolveSibling("none.sock").toString(),
                    "-n", "-d", NAME, "--force-renewal"));

            assertFailedWithoutChange(result, "127.0.0.1:" + taken.getLocalPort() + ": the port is already in use");
            assertTrue(result.err().contains("--listen"), result.describe("what to do"));
            assertTrue(result.err().contains("no acmejx serve answers on --control"), result.describe("the other way"));
        }
    }

    @Test
    void untrustedServerSuggestsCaCert() {
        Command.Result result = Acmejx.run(List.of("issue", "--server", pebble.directory.toString(),
                "--config-dir", configDir.toString(), "--listen", "127.0.0.1:" + pebble.tlsPort, "-n",
                "-d", NAME, "--force-renewal"));

        assertFailedWithoutChange(result, pebble.directory.toString());
        assertTrue(result.err().contains("--ca-cert"), result.describe("hint"));
    }

    @Test
    void unreachableServerNamesTheUrl() {
        String nowhere = "https://localhost:" + FreePorts.next() + "/dir";
        Command.Result result = Acmejx.run(List.of("issue", "--server", nowhere, "--config-dir",
                configDir.toString(), "--listen", "127.0.0.1:" + FreePorts.next(), "--agree-tos", "-n",
                "-d", NAME, "--force-renewal"));

        assertFailedWithoutChange(result, "cannot reach the ACME server at " + nowhere);
    }

    @Test
    void invalidDomainIsRefusedBeforeAnyNetworkCall() {
        String nowhere = "https://localhost:" + FreePorts.next() + "/dir";
        Command.Result result = Acmejx.run(List.of("issue", "--server", nowhere, "--config-dir",
                configDir.toString(), "-d", NAME, "-d", "not_valid.test", "--force-renewal"));

        assertFailedWithoutChange(result, "invalid domain 'not_valid.test'");
        assertFalse(result.err().contains("cannot reach"), result.describe("no network call"));
    }

    @Test
    void anotherProcessHoldingTheConfigDirIsNamed() throws Exception {
        try (FileChannel channel = FileChannel.open(configDir.resolve(".acmejx.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            Command.Result result = Acmejx.issue(pebble, configDir, "-d", NAME, "--force-renewal");

            assertFailedWithoutChange(result, "another acmejx");
            assertTrue(result.err().contains(configDir.toString()), result.describe("which dir"));
        }
    }

    @Test
    void nonInteractiveWithoutAgreeTosRegistersNothing() throws Exception {
        Path fresh = configDir.resolve("fresh");
        Command.Result result = Acmejx.run(List.of("issue", "--server", pebble.directory.toString(), "--ca-cert",
                pebble.caCert.toString(), "--config-dir", fresh.toString(), "--listen",
                "127.0.0.1:" + pebble.tlsPort, "--non-interactive", "-d", "tos.test"));

        assertEquals(1, result.exit(), result.describe("exit"));
        assertTrue(result.err().contains("--agree-tos"), result.describe("hint"));
        assertFalse(Files.exists(fresh.resolve("accounts")), "no account registered");
        assertFalse(Files.exists(fresh.resolve("live")));
    }

    private void assertFailedWithoutChange(Command.Result result, String message) {
        assertNotEquals(0, result.exit(), result.describe("failure"));
        assertTrue(result.err().contains(message), result.describe("message with '" + message + "'"));
        assertEquals(before, ConfigDirs.fingerprint(configDir), "the config dir changed");
    }
}
