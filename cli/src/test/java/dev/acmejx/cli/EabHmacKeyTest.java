package dev.acmejx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.ExternalAccountBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The EAB HMAC key from exactly one of a file, the environment and the flag. */
class EabHmacKeyTest {

    private static final String KEY = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";
    private static final Map<String, String> ENVIRONMENT = Map.of(ExternalAccountBinding.KEY_ENVIRONMENT, KEY);

    @TempDir
    Path dir;

    @Test
    void aFileLosesItsTrailingNewlineOnly() throws Exception {
        assertEquals(KEY, fromFile(KEY + "\n"));
        assertEquals(KEY, fromFile(KEY + "\r\n"));
        assertEquals(KEY, fromFile(KEY));
        assertEquals(" " + KEY + "\n", fromFile(" " + KEY + "\n\n"), "only the one newline a file ends with");
    }

    @Test
    void eachSourceAloneGivesTheKeyAndSaysWhichItWas() throws Exception {
        Path file = Files.writeString(dir.resolve("eab.key"), KEY + "\n");

        assertEquals(new EabHmacKey.Given(ExternalAccountBinding.KEY_FILE_OPTION + " " + file, KEY),
                EabHmacKey.read(Optional.empty(), Optional.of(file), Map.of()).orElseThrow());
        assertEquals(new EabHmacKey.Given(ExternalAccountBinding.KEY_ENVIRONMENT, KEY),
                EabHmacKey.read(Optional.empty(), Optional.empty(), ENVIRONMENT).orElseThrow());
        assertEquals(new EabHmacKey.Given(ExternalAccountBinding.KEY_OPTION, KEY),
                EabHmacKey.read(Optional.of(KEY), Optional.empty(), Map.of()).orElseThrow());
        assertEquals(Optional.empty(), EabHmacKey.read(Optional.empty(), Optional.empty(), Map.of()));
        assertEquals(new EabHmacKey.Given(ExternalAccountBinding.KEY_OPTION, KEY), EabHmacKey.read(Optional.of(KEY),
                Optional.empty(), Map.of(ExternalAccountBinding.KEY_ENVIRONMENT, ""))
                .orElseThrow(), "an empty variable is an unset one");
    }

    @Test
    void twoSourcesAreAnErrorNamingBoth() throws Exception {
        Path file = Files.writeString(dir.resolve("eab.key"), KEY);

        AcmejxException e = assertThrows(AcmejxException.class,
                () -> EabHmacKey.read(Optional.empty(), Optional.of(file), ENVIRONMENT));
        assertTrue(e.getMessage().contains(ExternalAccountBinding.KEY_FILE_OPTION + " " + file)
                && e.getMessage().contains(ExternalAccountBinding.KEY_ENVIRONMENT)
                && e.getMessage().contains("one way only"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY), "never the key");
        assertThrows(AcmejxException.class, () -> EabHmacKey.read(Optional.of(KEY), Optional.empty(), ENVIRONMENT));
        assertThrows(AcmejxException.class, () -> EabHmacKey.read(Optional.of(KEY), Optional.of(file), Map.of()));
    }

    @Test
    void aMissingUnreadableOrEmptyFileIsNamed() throws Exception {
        Path missing = dir.resolve("missing.key");
        assertMessage(missing, "cannot read " + ExternalAccountBinding.KEY_FILE_OPTION + " " + missing
                + ": no such file");
        assertMessage(dir, "cannot read " + ExternalAccountBinding.KEY_FILE_OPTION + " " + dir + ": ");
        Path empty = Files.writeString(dir.resolve("empty.key"), "\n");
        assertMessage(empty, ExternalAccountBinding.KEY_FILE_OPTION + " " + empty + " is empty");
        if (!ProcessHandle.current().info().user().orElse("").equals("root")) {
            Path locked = Files.writeString(dir.resolve("locked.key"), KEY);
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
            assertMessage(locked, "cannot read " + ExternalAccountBinding.KEY_FILE_OPTION + " " + locked
                    + ": permission denied");
        }
    }

    @Test
    void theGivenKeyIsNotInItsDescription() {
        assertFalse(new EabHmacKey.Given(ExternalAccountBinding.KEY_OPTION, KEY).toString().contains(KEY));
    }

    private String fromFile(String text) throws Exception {
        Path file = Files.writeString(dir.resolve("eab.key"), text);
        return EabHmacKey.read(Optional.empty(), Optional.of(file), Map.of()).orElseThrow().key();
    }

    private static void assertMessage(Path file, String expected) {
        AcmejxException e = assertThrows(AcmejxException.class,
                () -> EabHmacKey.read(Optional.empty(), Optional.of(file), Map.of()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
