package dev.acmejx.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * ACME accounts in certbot's layout, so either tool can use the other's: {@code accounts/<host[:port]><path>/
 * <id>/} with {@code private_key.json} (the JWK), {@code regr.json} (the account URL) and {@code meta.json}.
 * The id is certbot's: MD5 of the public key's PEM (SubjectPublicKeyInfo), in hex.
 */
public final class AccountStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_FILE = "private_key.json";
    private static final String REGR_FILE = "regr.json";
    private static final String META_FILE = "meta.json";

    private final Path accountsDir;

    /** An account as stored: its id, key pair and URL at the CA. */
    public record StoredAccount(String id, KeyPair keyPair, URL location) {
    }

    public AccountStore(Path configDir) {
        this.accountsDir = configDir.resolve("accounts");
    }

    /** The oldest account stored for this directory URL, if any; one account per server is the normal case. */
    public Optional<StoredAccount> find(URI directory) throws AcmejxException {
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

    /** Stores a newly registered account. */
    public StoredAccount save(URI directory, KeyPair keyPair, URL location) throws AcmejxException {
        String id = idOf(keyPair);
        Path dir = serverDir(directory).resolve(id);
        try {
            SecureFiles.directories(accountsDir, SecureFiles.PRIVATE_DIR);
            SecureFiles.directories(dir, SecureFiles.PRIVATE_DIR);
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(keyPair.getPublic());
            jwk.setPrivateKey(keyPair.getPrivate());
            SecureFiles.replace(dir.resolve(KEY_FILE), jwk.toJson(OutputControlLevel.INCLUDE_PRIVATE)
                    .getBytes(StandardCharsets.UTF_8), SecureFiles.PRIVATE_FILE);
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
        try {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(
                    Files.readString(dir.resolve(KEY_FILE), StandardCharsets.UTF_8));
            if (jwk.getPrivateKey() == null) {
                throw new AcmejxException(dir.resolve(KEY_FILE) + " holds no private key");
            }
            String uri = JSON.readTree(dir.resolve(REGR_FILE).toFile()).path("uri").asText("");
            if (uri.isEmpty()) {
                throw new AcmejxException(dir.resolve(REGR_FILE) + " has no account \"uri\"");
            }
            KeyPair keyPair = new KeyPair(jwk.getPublicKey(), jwk.getPrivateKey());
            return new StoredAccount(dir.getFileName().toString(), keyPair, URI.create(uri).toURL());
        } catch (IOException | JoseException | IllegalArgumentException e) {
            throw new AcmejxException("account in " + dir + " is unreadable (" + e.getMessage()
                    + "); move it aside to register a new one", e);
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
