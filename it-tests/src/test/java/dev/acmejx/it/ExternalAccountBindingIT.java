package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An account registered with External Account Binding against a Pebble that requires it. */
class ExternalAccountBindingIT {

    private static final String KID = "kid-acmejx";
    private static final String HMAC_KEY = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";

    private static Pebble pebble;

    @TempDir
    Path configDir;

    @BeforeAll
    static void startPebble() throws IOException {
        pebble = Pebble.startRequiringEab(KID, HMAC_KEY);
    }

    @AfterAll
    static void stopPebble() {
        pebble.close();
    }

    @Test
    void withoutEabTheErrorSaysWhatToGive() {
        Command.Result result = Acmejx.issue(pebble, configDir, "-d", "no-eab.test");

        assertEquals(1, result.exit(), result.describe("refused"));
        assertTrue(result.err().contains("--eab-kid and --eab-hmac-key"), result.describe("what to give"));
    }

    @Test
    void aWrongKeyIsTheCasRefusal() {
        Command.Result result = Acmejx.issue(pebble, configDir, "-d", "bad-eab.test", "--eab-kid", KID,
                "--eab-hmac-key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        assertEquals(1, result.exit(), result.describe("refused"));
        assertTrue(result.err().contains("urn:ietf:params:acme:error"), result.describe("the CA's problem"));
    }

    @Test
    void theBoundAccountIsRegisteredStoredAndTheKeyNeverWritten() throws IOException {
        Command.Result result = Acmejx.issue(pebble, configDir, "-d", "eab.test", "--eab-kid", KID,
                "--eab-hmac-key", HMAC_KEY).assertSuccess();

        Openssl.assertValidLineage(configDir.resolve("live/eab.test"), pebble.issuerRoot);
        assertFalse(result.err().contains(HMAC_KEY), "the HMAC key is not logged");
        try (Stream<Path> files = Files.walk(configDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(file).contains(HMAC_KEY), file + " holds the HMAC key");
            }
        }
        Acmejx.issue(pebble, configDir, "-d", "again.eab.test").assertSuccess();
    }
}
