package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accounts stored where certbot keeps them, readable back with the same key. */
class AccountStoreTest {

    private static final URI LE = URI.create("https://acme-v02.api.letsencrypt.org/directory");

    @TempDir
    Path configDir;

    @Test
    void savedAccountIsFoundAgainWithItsKeyAndUrl() throws Exception {
        AccountStore store = new AccountStore(configDir);
        KeyPair key = KeySpec.ACCOUNT.generate();
        URL location = URI.create("https://acme-v02.api.letsencrypt.org/acme/acct/42").toURL();

        AccountStore.StoredAccount saved = store.save(LE, key, location);
        AccountStore.StoredAccount found = store.find(LE).orElseThrow();

        assertEquals(saved.id(), found.id());
        assertEquals(location, found.location());
        assertEquals(key.getPublic(), found.keyPair().getPublic());
        assertEquals(key.getPrivate(), found.keyPair().getPrivate());
    }

    @Test
    void layoutAndPermissionsMatchCertbot() throws Exception {
        KeyPair key = KeySpec.ACCOUNT.generate();
        String id = new AccountStore(configDir).save(LE, key, URI.create("https://ca.test/acct/1").toURL()).id();

        Path dir = configDir.resolve("accounts/acme-v02.api.letsencrypt.org/directory").resolve(id);
        assertTrue(Files.isRegularFile(dir.resolve("private_key.json")));
        assertTrue(Files.isRegularFile(dir.resolve("regr.json")));
        assertTrue(Files.isRegularFile(dir.resolve("meta.json")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("private_key.json"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals(32, id.length());
        assertTrue(id.matches("[0-9a-f]+"));
    }

    @Test
    void idIsMd5OfThePublicKeyPemAsCertbotComputesIt() throws Exception {
        KeyPair key = KeySpec.ACCOUNT.generate();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("MD5").digest(pem.getBytes(StandardCharsets.US_ASCII)));

        assertEquals(expected, AccountStore.idOf(key));
    }

    @Test
    void serverWithPortKeepsItInTheDirectoryName() {
        Path dir = new AccountStore(configDir).serverDir(URI.create("https://localhost:14000/dir"));
        assertEquals(configDir.resolve("accounts/localhost:14000/dir"), dir);
    }

    @Test
    void otherServerHasNoAccount() throws Exception {
        AccountStore store = new AccountStore(configDir);
        store.save(LE, KeySpec.ACCOUNT.generate(), URI.create("https://ca.test/acct/1").toURL());
        assertTrue(store.find(URI.create("https://acme-staging-v02.api.letsencrypt.org/directory")).isEmpty());
    }
}
