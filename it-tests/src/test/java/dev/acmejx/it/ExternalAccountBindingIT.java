package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An account registered with External Account Binding against a Pebble that requires it. */
class ExternalAccountBindingIT {

    private static final String KID = "kid-acmejx";
    private static final String HMAC_KEY = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";
    private static final String KID_OPTION = "--eab-kid";
    private static final String KEY_OPTION = "--eab-hmac-key";
    private static final String KEY_FILE_OPTION = "--eab-hmac-key-file";
    private static final String KEY_ENVIRONMENT = "ACMEJX_EAB_HMAC_KEY";

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
        assertTrue(result.err().contains(KID_OPTION + " and the HMAC key (" + KEY_FILE_OPTION + ", " + KEY_ENVIRONMENT
                + " or " + KEY_OPTION + ")"), result.describe("what to give"));
    }

    @Test
    void aWrongKeyIsTheCasRefusal() {
        Command.Result result = Acmejx.issue(pebble, configDir, "-d", "bad-eab.test", KID_OPTION, KID,
                KEY_OPTION, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        assertEquals(1, result.exit(), result.describe("refused"));
        assertTrue(result.err().contains("urn:ietf:params:acme:error"), result.describe("the CA's problem"));
    }

    @Test
    void theBoundAccountIsRegisteredStoredAndTheKeyNeverWritten() throws IOException {
        Command.Result result = Acmejx.issue(pebble, configDir, "-d", "eab.test", KID_OPTION, KID,
                KEY_OPTION, HMAC_KEY).assertSuccess();

        Openssl.assertValidLineage(configDir.resolve("live/eab.test"), pebble.issuerRoot);
        assertFalse(result.err().contains(HMAC_KEY), "the HMAC key is not logged");
        try (Stream<Path> files = Files.walk(configDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(file).contains(HMAC_KEY), file + " holds the HMAC key");
            }
        }
        Acmejx.issue(pebble, configDir, "-d", "again.eab.test").assertSuccess();
    }

    @Test
    void theKeyFromAFileRegistersItsTrailingNewlineDropped() throws IOException {
        Path keyFile = Files.writeString(configDir.resolve("eab.key"), HMAC_KEY + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));

        Command.Result result = Acmejx.issue(pebble, configDir, "-d", "file.eab.test", KID_OPTION, KID,
                KEY_FILE_OPTION, keyFile.toString()).assertSuccess();

        Openssl.assertValidLineage(configDir.resolve("live/file.eab.test"), pebble.issuerRoot);
        assertFalse(result.err().contains(HMAC_KEY), "the HMAC key is not logged");
    }

    @Test
    void theKeyFromTheEnvironmentRegisters() {
        Command.Result result = Acmejx.run(Acmejx.issueArguments(pebble, configDir, "-d", "env.eab.test", KID_OPTION,
                KID), Map.of(KEY_ENVIRONMENT, HMAC_KEY)).assertSuccess();

        Openssl.assertValidLineage(configDir.resolve("live/env.eab.test"), pebble.issuerRoot);
        assertFalse(result.err().contains(HMAC_KEY), "the HMAC key is not logged");
    }

    @Test
    void aKeyGivenTwoWaysIsRefusedAndAMissingFileNamed() {
        Command.Result twice = Acmejx.run(Acmejx.issueArguments(pebble, configDir, "-d", "twice.eab.test",
                KID_OPTION, KID, KEY_OPTION, HMAC_KEY), Map.of(KEY_ENVIRONMENT, HMAC_KEY));
        Path missing = configDir.resolve("missing.key");
        Command.Result noFile = Acmejx.issue(pebble, configDir, "-d", "nofile.eab.test", KID_OPTION, KID,
                KEY_FILE_OPTION, missing.toString());

        assertEquals(1, twice.exit(), twice.describe("refused"));
        assertTrue(twice.err().contains(KEY_ENVIRONMENT + ", " + KEY_OPTION) && twice.err().contains("one way only"),
                twice.describe("both named"));
        assertEquals(1, noFile.exit(), noFile.describe("refused"));
        assertTrue(noFile.err().contains("cannot read " + KEY_FILE_OPTION + " " + missing + ": no such file"),
                noFile.describe("the file named"));
        assertFalse(Files.exists(configDir.resolve("accounts")), "nothing registered");
    }
}
