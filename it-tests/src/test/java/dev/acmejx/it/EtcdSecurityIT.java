package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The two ways a production etcd keeps strangers out, against real etcd 3.4: TLS with client certificates
 * ({@code --client-cert-auth}) and a user with a password. A fleet's etcd holds every node's sealed private keys
 * and decides who renews, so acmejx must get in with the right settings, be kept out without them, and say which
 * setting to fix. {@code acmejx fleet status} is the probe: it needs nothing but etcd, and it shows a lock that
 * etcdctl put there, so a success is a real read through TLS or the login, not an empty answer from anywhere.
 */
class EtcdSecurityIT {

    private static final String FLEET = "t";
    /** What etcdctl plants as {@code locks/example.org}; fleet status shows it as {@link #LOCK_LINE}. */
    private static final String LOCK_KEY = "/acmejx/" + FLEET + "/locks/example.org";
    private static final String LOCK_LINE = "lock    example.org: held by node-a";
    private static final Duration LOGGED_WITHIN = Duration.ofSeconds(10);

    private static Path dir;
    private static Path fleetKey;
    private static EtcdPki pki;
    /** One member, https only, asking every client for a certificate signed by {@link #pki}'s CA. */
    private static EtcdCluster tls;
    /** One member, plain http, with authentication on and only root as a user. */
    private static EtcdCluster auth;
    /**
     * root's password: random, so that a test can search acmejx's output for it, and with a space at either end,
     * which a password may have and the file format (a trailing newline dropped, nothing else) must keep.
     */
    private static String password;
    private static Path passwordFile;
    private static String wrongPassword;
    private static Path wrongPasswordFile;

    @BeforeAll
    static void startBothClusters() throws Exception {
        dir = Files.createTempDirectory("acmejx-etcd-security");
        fleetKey = secretFile("fleet.key", randomBytes(32));
        pki = EtcdPki.create(Files.createDirectory(dir.resolve("pki")));
        tls = EtcdCluster.startHttps(1, pki.memberFlags().toArray(String[]::new));
        EtcdPki.Client planter = pki.client("etcdctl", EtcdPki.KeyForm.EC_PKCS8);
        etcdctl(tls, "--cacert", pki.caCert.toString(), "--cert", planter.cert().toString(), "--key",
                planter.key().toString(), "put", LOCK_KEY, "node-a");

        password = " " + HexFormat.of().formatHex(randomBytes(12)) + " ";
        wrongPassword = "wrong-" + HexFormat.of().formatHex(randomBytes(12));
        passwordFile = secretFile("password", (password + "\n").getBytes(StandardCharsets.UTF_8));
        wrongPasswordFile = secretFile("wrong-password", (wrongPassword + "\n").getBytes(StandardCharsets.UTF_8));
        auth = EtcdCluster.start(1);
        etcdctl(auth, "user", "add", "root:" + password);
        etcdctl(auth, "auth", "enable");
        etcdctl(auth, "--user", "root:" + password, "put", LOCK_KEY, "node-a");
    }

    /** Both clusters stopped by their own PIDs, none of which may still run, and every file removed. */
    @AfterAll
    static void stopBothClusters() {
        List<Long> pids = new ArrayList<>();
        try (EtcdCluster t = tls; EtcdCluster a = auth) {
            for (EtcdCluster cluster : new EtcdCluster[] {t, a}) {
                if (cluster != null) {
                    pids.addAll(cluster.pids());
                }
            }
        } finally {
            TempDirs.delete(dir);
        }
        assertTrue(pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)),
                "an etcd left running: " + pids);
    }

    /**
     * Every form openssl writes a client key in is read: PKCS#8 (its default, EC and RSA), PKCS#1 and the SEC1
     * key after an {@code EC PARAMETERS} block that {@code openssl ecparam -genkey} writes first.
     */
    @ParameterizedTest
    @EnumSource(EtcdPki.KeyForm.class)
    void mutualTlsWithTheCaAndAClientCertificateReadsTheFleet(EtcdPki.KeyForm form) throws Exception {
        EtcdPki.Client client = pki.client("client-" + form.name().toLowerCase(), form);
        assertEquals(form.firstLine, Files.readAllLines(client.key()).get(0), "the key is in the form " + form);

        Command.Result status = Acmejx.run(fleetStatus(tls, "--etcd-ca-cert", pki.caCert.toString(),
                "--etcd-cert", client.cert().toString(), "--etcd-key", client.key().toString()));

        status.assertSuccess();
        assertTrue(status.out().startsWith("fleet " + FLEET + ": 0 nodes"), status.describe("fleet status"));
        assertTrue(status.out().contains(LOCK_LINE), status.describe("the lock etcdctl put"));
    }

    /** etcd ends the handshake of a client without a certificate, and says so in its log. */
    @Test
    void withoutAClientCertificateEtcdRefusesTheConnection() throws Exception {
        long refusedBefore = refusals();

        Command.Result status = Acmejx.run(fleetStatus(tls, "--etcd-ca-cert", pki.caCert.toString()));

        assertTrue(error(status).startsWith("acmejx: error: etcd"), status.describe("an error naming etcd"));
        Eventually.holds("etcd logs a client without a certificate", LOGGED_WITHIN, () -> refusals() > refusedBefore);
    }

    /** Without the CA the member's certificate chains to nothing the JDK trusts: acmejx sends nothing. */
    @Test
    void withoutTheCaCertificateTheMemberIsNotTrustedAndTheErrorSaysWhichFlag() throws Exception {
        EtcdPki.Client client = pki.client("no-ca", EtcdPki.KeyForm.EC_PKCS8);

        Command.Result status = Acmejx.run(fleetStatus(tls, "--etcd-cert", client.cert().toString(), "--etcd-key",
                client.key().toString()));

        String error = error(status);
        assertTrue(error.startsWith("acmejx: error: etcd"), status.describe("an error naming etcd"));
        assertTrue(error.contains("--etcd-ca-cert"), status.describe("the flag to check"));
    }

    @Test
    void rootWithItsPasswordFileReadsTheFleet() {
        Command.Result status = Acmejx.run(fleetStatus(auth, "--etcd-user", "root", "--etcd-password-file",
                passwordFile.toString()));

        status.assertSuccess();
        assertTrue(status.out().startsWith("fleet " + FLEET + ": 0 nodes"), status.describe("fleet status"));
        assertTrue(status.out().contains(LOCK_LINE), status.describe("the lock etcdctl put"));
        assertNoPassword(status);
    }

    @Test
    void aWrongPasswordNamesTheUserAndTheFlagsToCheck() {
        Command.Result status = Acmejx.run(fleetStatus(auth, "--etcd-user", "root", "--etcd-password-file",
                wrongPasswordFile.toString()));

        String error = error(status);
        assertTrue(error.startsWith("acmejx: error: etcd") && error.contains("refused user root"),
                status.describe("the user etcd refused"));
        assertTrue(error.contains("--etcd-user") && error.contains("--etcd-password-file"),
                status.describe("the flags to check"));
        assertNoPassword(status);
    }

    /** etcd's own reason comes through; first, that etcd refuses a request without a token at all. */
    @Test
    void withoutAUserEtcdRefusesTheRequest() {
        assertThrows(IOException.class, () -> EtcdGateway.get(auth.clientUrl(0), LOCK_KEY),
                "authentication is on: a request without a token is refused");

        Command.Result status = Acmejx.run(fleetStatus(auth));

        String error = error(status);
        assertTrue(error.startsWith("acmejx: error: etcd"), status.describe("an error naming etcd"));
        assertTrue(error.contains("user name is empty"), status.describe("etcd's reason"));
    }

    private static List<String> fleetStatus(EtcdCluster etcd, String... flags) {
        List<String> args = new ArrayList<>(List.of("fleet", "status", "--etcd", etcd.endpoints(), "--fleet-key",
                fleetKey.toString(), "--fleet", FLEET));
        args.addAll(List.of(flags));
        return args;
    }

    /** The one {@code acmejx: error:} line of a run that failed with exit 1 and printed no status. */
    private static String error(Command.Result status) {
        assertEquals(1, status.exit(), status.describe("exit 1"));
        assertFalse(status.out().contains("fleet " + FLEET + ":"), status.describe("no status"));
        List<String> errors = status.err().lines().filter(line -> line.startsWith("acmejx: error:")).toList();
        assertEquals(1, errors.size(), status.describe("one error line"));
        return errors.get(0);
    }

    /** Neither password, nor the random part of root's without its spaces, in anything acmejx printed. */
    private static void assertNoPassword(Command.Result status) {
        for (String secret : List.of(password.strip(), wrongPassword)) {
            assertFalse(status.out().contains(secret) || status.err().contains(secret),
                    "a password in acmejx's output:\n" + status.describe("fleet status"));
        }
    }

    /** How often the TLS member has logged a client that showed no certificate. */
    private static long refusals() {
        try {
            String log = new String(Files.readAllBytes(tls.log(0)), StandardCharsets.UTF_8);
            return Pattern.compile("client didn't provide a certificate").matcher(log).results().count();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + tls.log(0), e);
        }
    }

    private static Command.Result etcdctl(EtcdCluster etcd, String... args) {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints", etcd.endpoints()));
        command.addAll(List.of(args));
        return Command.run(command, Map.of("ETCDCTL_API", "3"), Duration.ofSeconds(30)).assertSuccess();
    }

    private static Path secretFile(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
