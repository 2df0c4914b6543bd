package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An account's key rollover on disk, and a deactivated account: what the store keeps and what it refuses. */
class AccountStoreStatesTest {

    private static final URI SERVER = URI.create("https://ca.test/dir");

    @TempDir
    Path configDir;

    @Test
    void committedKeyReplacesTheOldOneUnderTheSameIdWith0600() throws Exception {
        AccountStore store = new AccountStore(configDir);
        String id = store.save(SERVER, KeySpec.ACCOUNT.generate(), URI.create("https://ca.test/acct/1").toURL()).id();
        KeyPair next = KeySpec.ACCOUNT.generate();

        store.stageKey(SERVER, id, next);
        assertEquals(next.getPublic(), store.stagedKey(SERVER, id).orElseThrow().getPublic());
        store.commitStagedKey(SERVER, id);

        AccountStore.StoredAccount found = store.find(SERVER).orElseThrow();
        assertEquals(id, found.id());
        assertEquals(next.getPrivate(), found.keyPair().getPrivate());
        assertTrue(store.stagedKey(SERVER, id).isEmpty());
        Path keyFile = store.accountDir(SERVER, id).resolve("private_key.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertTrue(new ObjectMapper().readTree(store.accountDir(SERVER, id).resolve("meta.json").toFile())
                .has("creation_dt"), "certbot's fields stay");
    }

    @Test
    void discardedKeyLeavesTheOldOne() throws Exception {
        AccountStore store = new AccountStore(configDir);
        KeyPair old = KeySpec.ACCOUNT.generate();
        String id = store.save(SERVER, old, URI.create("https://ca.test/acct/1").toURL()).id();

        store.stageKey(SERVER, id, KeySpec.ACCOUNT.generate());
        store.discardStagedKey(SERVER, id);

        assertEquals(old.getPrivate(), store.find(SERVER).orElseThrow().keyPair().getPrivate());
    }

    @Test
    void interruptedRolloverIsNotUsedForOrdersUntilFinished() throws Exception {
        AccountStore store = new AccountStore(configDir);
        String id = store.save(SERVER, KeySpec.ACCOUNT.generate(), URI.create("https://ca.test/acct/1").toURL()).id();
        store.stageKey(SERVER, id, KeySpec.ACCOUNT.generate());

        AcmejxException e = assertThrows(AcmejxException.class, () -> store.find(SERVER));

        assertTrue(e.getMessage().contains("acmejx account key-rollover"), e.getMessage());
        assertTrue(store.findStored(SERVER).isPresent());
    }

    @Test
    void deactivatedAccountIsKeptButRefusedWithWhatToDo() throws Exception {
        AccountStore store = new AccountStore(configDir);
        String id = store.save(SERVER, KeySpec.ACCOUNT.generate(), URI.create("https://ca.test/acct/1").toURL()).id();
        assertFalse(store.deactivatedAt(SERVER, id).isPresent());

        store.markDeactivated(SERVER, id);

        assertTrue(store.deactivatedAt(SERVER, id).isPresent());
        AcmejxException e = assertThrows(AcmejxException.class, () -> store.find(SERVER));
        assertTrue(e.getMessage().contains("deactivated") && e.getMessage().contains(
                store.accountDir(SERVER, id).toString()), e.getMessage());
        assertEquals(id, store.findStored(SERVER).orElseThrow().id());
    }
}
