package dev.acmejx.core;

import dev.acmejx.core.etcd.KeyValue;
import dev.acmejx.core.etcd.Txn;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fleet's ACME accounts, certbot's account files in etcd with {@code private_key.json} sealed: a node pulls
 * them into its config dir before it orders, and pushes the account it ordered with, so the whole fleet orders as
 * one account.
 */
final class FleetAccounts {

    private final Fleet fleet;
    private final Path accountsDir;

    FleetAccounts(Fleet fleet, Path configDir) {
        this.fleet = fleet;
        this.accountsDir = configDir.resolve("accounts");
    }

    /** Whether the fleet has no account at all yet. */
    boolean none() throws AcmejxException {
        return fleet.client().prefix(fleet.keys().accounts()).kvs().isEmpty();
    }

    /** Writes every fleet account file this node lacks; a file it has is left as it is. */
    void pull() throws AcmejxException {
        String prefix = fleet.keys().accounts();
        try {
            for (KeyValue kv : fleet.client().prefix(prefix).kvs()) {
                Path file = accountsDir.resolve(FleetKeys.leaf(prefix, kv.key())).normalize();
                if (!file.startsWith(accountsDir) || Files.exists(file)) {
                    continue;
                }
                SecureFiles.directories(accountsDir, SecureFiles.PRIVATE_DIR);
                SecureFiles.directories(file.getParent(), SecureFiles.PRIVATE_DIR);
                boolean sealed = isKey(file);
                SecureFiles.replace(file, sealed ? fleet.key().open(kv.key(), kv.value()) : kv.value(),
                        sealed ? SecureFiles.PRIVATE_FILE : SecureFiles.PUBLIC_FILE);
            }
        } catch (IOException e) {
            throw new AcmejxException("cannot write the fleet's accounts into " + accountsDir + ": " + e.getMessage(),
                    e);
        }
    }

    /** Puts the account's files into etcd where they are not yet; an account already there is never replaced. */
    void push(URI server, String id) throws AcmejxException {
        Path dir = new AccountStore(accountsDir.getParent()).accountDir(server, id);
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new AcmejxException("cannot read account " + id + " in " + dir + ": " + e.getMessage(), e);
        }
        for (Path file : files) {
            String key = fleet.keys().account(accountsDir.relativize(file).toString());
            try {
                byte[] content = Files.readAllBytes(file);
                byte[] value = isKey(file) ? fleet.key().seal(key, content) : content;
                fleet.client().commit(new Txn().whenCreated(key, 0).thenPut(key, value, 0));
            } catch (IOException e) {
                throw new AcmejxException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static boolean isKey(Path file) {
        return file.getFileName().toString().equals(AccountStore.KEY_FILE);
    }
}
