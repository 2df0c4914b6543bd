package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet key seals private keys for etcd: only the same key, for the same etcd path, opens them. */
class FleetKeyTest {

    private static final String PATH = "/acmejx/f/lineages/example.com/versions/1/privkey";
    private static final byte[] SECRET = "-----BEGIN PRIVATE KEY-----\nMIG...\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void sealedValueOpensWithTheSameKeyAndPathAndHoldsNoPlainText() throws Exception {
        FleetKey key = FleetKey.read(keyFile("rw-------"));
        byte[] sealed = key.seal(PATH, SECRET);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("PRIVATE KEY"));
        assertArrayEquals(SECRET, key.open(PATH, sealed));
    }

    @Test
    void twoSealsOfOneValueDifferBecauseEachHasItsOwnNonce() throws Exception {
        FleetKey key = FleetKey.read(keyFile("rw-------"));
        assertFalse(Arrays.equals(key.seal(PATH, SECRET), key.seal(PATH, SECRET)));
    }

    @Test
    void aValueCopiedToAnotherPathDoesNotOpen() throws Exception {
        FleetKey key = FleetKey.read(keyFile("rw-------"));
        byte[] sealed = key.seal(PATH, SECRET);
        AcmejxException e = assertThrows(AcmejxException.class,
                () -> key.open("/acmejx/f/lineages/other/versions/1/privkey", sealed));
        assertTrue(e.getMessage().contains("same --fleet-key"), e.getMessage());
    }

    @Test
    void anotherNodesKeyDoesNotOpenIt() throws Exception {
        byte[] sealed = FleetKey.read(keyFile("rw-------")).seal(PATH, SECRET);
        FleetKey other = FleetKey.read(keyFile("rw-------"));
        assertThrows(AcmejxException.class, () -> other.open(PATH, sealed));
    }

    @Test
    void aKeyFileOthersCanReadIsRefused() throws Exception {
        Path file = keyFile("rw-r--r--");
        AcmejxException e = assertThrows(AcmejxException.class, () -> FleetKey.read(file));
        assertTrue(e.getMessage().contains("chmod 600 " + file), e.getMessage());
    }

    @Test
    void aKeyOfTheWrongLengthIsRefusedWithHowToMakeOne() throws Exception {
        Path file = dir.resolve("short.key");
        Files.write(file, new byte[16]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        AcmejxException e = assertThrows(AcmejxException.class, () -> FleetKey.read(file));
        assertTrue(e.getMessage().contains("16 bytes, not 32"), e.getMessage());
        assertTrue(e.getMessage().contains("head -c 32 /dev/urandom"), e.getMessage());
    }

    private Path keyFile(String perms) throws Exception {
        Path file = Files.createTempFile(dir, "fleet", ".key");
        byte[] bytes = new byte[FleetKey.LENGTH];
        new SecureRandom().nextBytes(bytes);
        Files.write(file, bytes);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
        return file;
    }
}
