package dev.acmejx.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * ACME accounts in certbot's layout, so either tool can use the other's: {@code accounts/<host[:port]><path>/
 * <id>/} with {@code private_key.json} (the JWK), {@code regr.json} (the account URL) and {@code meta.json}.
 * The id is certbot's: MD5 of the public key's PEM (SubjectPublicKeyInfo), in hex.
 */
public final class AccountStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY_FILE = "private_key.json";
    private static final String REGR_FILE = "regr.json";
    private static final String META_FILE = "meta.json";
    /** The new key of a rollover in progress; see {@link #stageKey}. */
    private static final String STAGED_KEY_FILE = "private_key.json.next";
    /** acmejx's own fields in meta.json; certbot reads only the fields it knows. */
    private static final String DEACTIVATED_FIELD = "acmejx_deactivated_dt";
    private static final String KEY_CHANGED_FIELD = "acmejx_key_changed_dt";

    private final Path accountsDir;

    /** An account as stored: its id, key pair and URL at the CA. */
    public record StoredAccount(String id, KeyPair keyPair, URL location) {

        /** The account at the CA of {@code session}: binds its URL and key, asks the CA nothing. */
        public Login login(Session session) {
            return session.login(location, keyPair);
        }
    }

    public AccountStore(Path configDir) {
        this.accountsDir = configDir.resolve("accounts");
    }

    /**
     * The account to order with: the oldest stored for this directory URL, if any (one account per server is the
     * normal case).
     *
     * @throws AcmejxException when that account was deactivated, or a key rollover of it was interrupted: the CA
     *     would refuse it, or might no longer know its key
     */
    public Optional<StoredAccount> find(URI directory) throws AcmejxException {
        return usable(directory, findStored(directory));
    }

    /**
     * The account a renewal conf names ({@code account}, certbot's id), when it is stored for this server: a lineage
     * certbot made keeps ordering with certbot's account, which the CA's ARI {@code replaces} requires. Without a
     * name, or when that account is not here (moved aside to register a new one), as {@link #find(URI)}.
     */
    public Optional<StoredAccount> find(URI directory, Optional<String> id) throws AcmejxException {
        Optional<Path> named = id.map(i -> accountDir(directory, i)).filter(d -> Files.isRegularFile(d.resolve(
                KEY_FILE)));
        return named.isPresent() ? usable(directory, Optional.of(load(named.get()))) : find(directory);
    }

    private Optional<StoredAccount> usable(URI directory, Optional<StoredAccount> account) throws AcmejxException {
        if (account.isEmpty()) {
            return account;
        }
        Path dir = accountDir(directory, account.get().id());
        Optional<Instant> deactivated = deactivatedAt(directory, account.get().id());
        if (deactivated.isPresent()) {
            throw new AcmejxException("the account " + account.get().id() + " for " + directory + " was "
                    + "deactivated on " + deactivated.get() + " (acmejx account deactivate) and the CA accepts "
                    + "nothing from it any more; move " + dir + " out of the config dir to register a new one");
        }
        if (Files.exists(dir.resolve(STAGED_KEY_FILE))) {
            throw new AcmejxException("a key rollover of the account " + account.get().id() + " for " + directory
                    + " was interrupted; run `acmejx account key-rollover` to find out which key the CA has "
                    + "and finish it");
        }
        return account;
    }

    /** The oldest account stored for this directory URL, whatever its state; for the account commands. */
    public Optional<StoredAccount> findStored(URI directory) throws AcmejxException {
        Path dir = serverDir(directory);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> accounts = Files.list(dir)) {
            Optional<Path> oldest = accounts.filter(a -> Files.isRegularFile(a.resolve(KEY_FILE)))
                    .min(Comparator.comparing(AccountStore::createdAt).thenComparing(Path::toString));
            return oldest.isPresent() ? Optional.of(load(oldest.get())) : Optional.empty();
        } catch (IOException e) {
            throw new AcmejxException("cannot read accounts in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** When {@link #markDeactivated} recorded that the CA deactivated this account. */
    public Optional<Instant> deactivatedAt(URI directory, String id) {
        try {
            String when = JSON.readTree(accountDir(directory, id).resolve(META_FILE).toFile())
                    .path(DEACTIVATED_FIELD).asText("");
            return when.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(when));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Records in {@code meta.json} that the CA deactivated the account. The files stay (certbot would delete
     * them): they are the only record of which account ordered the certificates, and {@link #find} then says
     * why it will not order, where a silently registered new account would hide it.
     */
    public void markDeactivated(URI directory, String id) throws AcmejxException {
        updateMeta(accountDir(directory, id), DEACTIVATED_FIELD);
    }

    /**
     * Step one of a key rollover, before the CA is asked: the new key is on disk (0600, fsynced) next to the old
     * one, so that whatever happens to this process, the key the CA ends up with is not lost.
     */
    public void stageKey(URI directory, String id, KeyPair next) throws AcmejxException {
        Path file = accountDir(directory, id).resolve(STAGED_KEY_FILE);
        try {
            SecureFiles.replace(file, jwk(next), SecureFiles.PRIVATE_FILE);
        } catch (IOException | JoseException e) {
            throw new AcmejxException("cannot write the new account key " + file + ": " + e.getMessage()
                    + "; nothing was changed at the CA", e);
        }
    }

    /** The key {@link #stageKey} left behind, when a rollover did not finish. */
    public Optional<KeyPair> stagedKey(URI directory, String id) throws AcmejxException {
        Path file = accountDir(directory, id).resolve(STAGED_KEY_FILE);
        return Files.exists(file) ? Optional.of(readKey(file)) : Optional.empty();
    }

    /**
     * Step two, once the CA took the staged key: it replaces {@code private_key.json} in one rename. The account
     * keeps its directory and id, as in certbot, where the id stays that of the key the account was created with.
     */
    public void commitStagedKey(URI directory, String id) throws AcmejxException {
        Path dir = accountDir(directory, id);
        try {
            Files.move(dir.resolve(STAGED_KEY_FILE), dir.resolve(KEY_FILE), StandardCopyOption.ATOMIC_MOVE);
            SecureFiles.fsyncDirectory(dir);
        } catch (IOException e) {
            throw new AcmejxException("the CA now has the account's new key, but moving " + dir.resolve(
                    STAGED_KEY_FILE) + " over " + KEY_FILE + " failed (" + e.getMessage() + "); move it there by "
                    + "hand: the old key no longer works", e);
        }
        updateMeta(dir, KEY_CHANGED_FIELD);
    }

    /** Undoes {@link #stageKey} when the CA kept the old key. */
    public void discardStagedKey(URI directory, String id) throws AcmejxException {
        Path dir = accountDir(directory, id);
        try {
            Files.deleteIfExists(dir.resolve(STAGED_KEY_FILE));
            SecureFiles.fsyncDirectory(dir);
        } catch (IOException e) {
            throw new AcmejxException("cannot remove " + dir.resolve(STAGED_KEY_FILE) + ", a key the CA never "
                    + "took (" + e.getMessage() + "); delete it by hand", e);
        }
    }

    /** {@code accounts/<host[:port]><path>/<id>}. */
    public Path accountDir(URI directory, String id) {
        return serverDir(directory).resolve(id);
    }

    /** Stores a newly registered account. */
    public StoredAccount save(URI directory, KeyPair keyPair, URL location) throws AcmejxException {
        String id = idOf(keyPair);
        Path dir = serverDir(directory).resolve(id);
        try {
            SecureFiles.directories(accountsDir, SecureFiles.PRIVATE_DIR);
            SecureFiles.directories(dir, SecureFiles.PRIVATE_DIR);
            SecureFiles.replace(dir.resolve(KEY_FILE), jwk(keyPair), SecureFiles.PRIVATE_FILE);
            ObjectNode regr = JSON.createObjectNode();
            regr.putObject("body");
            regr.put("uri", location.toString());
            SecureFiles.replace(dir.resolve(REGR_FILE), JSON.writeValueAsBytes(regr), SecureFiles.PUBLIC_FILE);
            ObjectNode meta = JSON.createObjectNode();
            meta.put("creation_dt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            meta.put("creation_host", hostName());
            meta.putNull("register_to_eff");
            SecureFiles.replace(dir.resolve(META_FILE), JSON.writeValueAsBytes(meta), SecureFiles.PUBLIC_FILE);
        } catch (IOException | JoseException e) {
            throw new AcmejxException("cannot store the new account in " + dir + ": " + e.getMessage(), e);
        }
        return new StoredAccount(id, keyPair, location);
    }

    /** {@code accounts/<host[:port]><path>}, as certbot derives it from the directory URL. */
    Path serverDir(URI directory) {
        String path = directory.getRawPath() == null ? "" : directory.getRawPath();
        return accountsDir.resolve(directory.getRawAuthority() + path.replaceAll("/+$", ""));
    }

    private static StoredAccount load(Path dir) throws AcmejxException {
        KeyPair keyPair = readKey(dir.resolve(KEY_FILE));
        try {
            String uri = JSON.readTree(dir.resolve(REGR_FILE).toFile()).path("uri").asText("");
            if (uri.isEmpty()) {
                throw new AcmejxException(dir.resolve(REGR_FILE) + " has no account \"uri\"");
            }
            return new StoredAccount(dir.getFileName().toString(), keyPair, URI.create(uri).toURL());
        } catch (IOException | IllegalArgumentException e) {
            throw new AcmejxException("account in " + dir + " is unreadable (" + e.getMessage()
                    + "); move it aside to register a new one", e);
        }
    }

    private static KeyPair readKey(Path file) throws AcmejxException {
        try {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(Files.readString(file,
                    StandardCharsets.UTF_8));
            if (jwk.getPrivateKey() == null) {
                throw new AcmejxException(file + " holds no private key");
            }
            return new KeyPair(jwk.getPublicKey(), jwk.getPrivateKey());
        } catch (IOException | JoseException | IllegalArgumentException e) {
            throw new AcmejxException("account key " + file + " is unreadable (" + e.getMessage()
                    + "); move its account aside to register a new one", e);
        }
    }

    private static byte[] jwk(KeyPair keyPair) throws JoseException {
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(keyPair.getPublic());
        jwk.setPrivateKey(keyPair.getPrivate());
        return jwk.toJson(OutputControlLevel.INCLUDE_PRIVATE).getBytes(StandardCharsets.UTF_8);
    }

    /** Sets {@code field} of {@code meta.json} to now, keeping certbot's fields as they are. */
    private static void updateMeta(Path dir, String field) throws AcmejxException {
        Path file = dir.resolve(META_FILE);
        try {
            ObjectNode meta = Files.exists(file) && JSON.readTree(file.toFile()) instanceof ObjectNode node
                    ? node : JSON.createObjectNode();
            meta.put(field, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            SecureFiles.replace(file, JSON.writeValueAsBytes(meta), SecureFiles.PUBLIC_FILE);
        } catch (IOException e) {
            throw new AcmejxException("cannot update " + file + ": " + e.getMessage(), e);
        }
    }

    private static Instant createdAt(Path accountDir) {
        try {
            String created = JSON.readTree(accountDir.resolve(META_FILE).toFile()).path("creation_dt").asText("");
            return created.isEmpty() ? Instant.MAX : Instant.parse(created.replace(" ", "T"));
        } catch (IOException | RuntimeException e) {
            return Instant.MAX;
        }
    }

    /** certbot's account id: MD5 over the PEM text of the public key, so both tools name the directory alike. */
    static String idOf(KeyPair keyPair) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(
                    Pem.publicKey(keyPair.getPublic())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no MD5", e);
        }
    }

    /** From /etc/hostname rather than a resolver call that can hang on a machine with broken DNS. */
    private static String hostName() {
        try {
            return Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
