package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code acmejx issue} against a real Pebble, answering tls-alpn-01 with its built-in responder. */
class IssueIT extends PebbleTest {

    @Test
    void oneNameLandsInTheCertbotLayoutAndVerifies() throws Exception {
        Command.Result result = Acmejx.issue(pebble, configDir, "-d", "one.test").assertSuccess();

        Path live = configDir.resolve("live/one.test");
        assertTrue(result.out().contains(live.resolve("fullchain.pem").toString()), result.describe("summary"));
        Openssl.assertValidLineage(live, pebble.issuerRoot);
        for (String kind : List.of("cert", "chain", "fullchain", "privkey")) {
            assertEquals(Path.of("../../archive/one.test/" + kind + "1.pem"),
                    Files.readSymbolicLink(live.resolve(kind + ".pem")));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(configDir.resolve("archive/one.test/privkey1.pem"))));
        String conf = Files.readString(configDir.resolve("renewal/one.test.conf"));
        assertTrue(conf.contains("server = " + pebble.directory), conf);
        assertTrue(conf.contains("ca_cert = " + pebble.caCert), conf);
        assertTrue(Files.isDirectory(configDir.resolve("accounts/" + pebble.directory.getAuthority() + "/dir")));
    }

    @Test
    void threeNamesAreSolvedAndAllInTheCertificate() throws Exception {
        Command.Result result = Acmejx.issue(pebble, configDir, "-d", "a.three.test,b.three.test",
                "-d", "c.three.test", "--json").assertSuccess();

        ObjectMapper json = new ObjectMapper();
        List<String> messages = new ArrayList<>();
        for (String line : result.err().strip().split("\n")) {
            messages.add(json.readTree(line).get("message").asText());
        }
        List<String> names = List.of("a.three.test", "b.three.test", "c.three.test");
        for (String name : names) {
            assertTrue(messages.contains(name + ": validated"), result.describe("JSON log line for " + name));
        }
        int firstValidated = names.stream().mapToInt(n -> messages.indexOf(n + ": validated")).min().orElseThrow();
        for (String name : names) {
            assertTrue(messages.indexOf(name + ": tls-alpn-01 published, validation requested") < firstValidated,
                    result.describe("every validation is requested before any completes (concurrent)"));
        }

        Path live = configDir.resolve("live/a.three.test");
        Openssl.assertValidLineage(live, pebble.issuerRoot);
        String text = Openssl.text(live.resolve("cert.pem"));
        for (String name : List.of("a.three.test", "b.three.test", "c.three.test")) {
            assertTrue(text.contains("DNS:" + name), name + " missing from\n" + text);
        }
    }

    @Test
    void rsaKeyOfTheAskedSize() {
        Acmejx.issue(pebble, configDir, "-d", "rsa.test", "--key-type", "rsa", "--rsa-key-size", "3072")
                .assertSuccess();

        Path live = configDir.resolve("live/rsa.test");
        Openssl.assertValidLineage(live, pebble.issuerRoot);
        assertTrue(Openssl.text(live.resolve("cert.pem")).contains("Public-Key: (3072 bit)"));
    }

    @Test
    void ecdsaKeyOnTheAskedCurve() {
        Acmejx.issue(pebble, configDir, "-d", "ec.test", "--elliptic-curve", "secp384r1").assertSuccess();

        Path live = configDir.resolve("live/ec.test");
        Openssl.assertValidLineage(live, pebble.issuerRoot);
        assertTrue(Openssl.text(live.resolve("cert.pem")).contains("NIST CURVE: P-384"));
    }

    @Test
    void sameNamesAgainAreNotDueAndOrderNothingEvenWithThePortTaken() throws Exception {
        Acmejx.issue(pebble, configDir, "-d", "again.test").assertSuccess();
        Path fullchain = configDir.resolve("live/again.test/fullchain.pem");
        String serial = Openssl.serial(fullchain);

        Command.Result again;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            again = Acmejx.run(List.of("issue", "--server", pebble.directory.toString(), "--ca-cert",
                    pebble.caCert.toString(), "--config-dir", configDir.toString(), "--listen",
                    "127.0.0.1:" + taken.getLocalPort(), "--agree-tos", "-n", "-d", "again.test"));
        }

        again.assertSuccess();
        assertTrue(again.out().contains("not due"), again.describe("not-due message"));
        assertFalse(again.err().contains("order created"), again.describe("no order"));
        assertEquals(serial, Openssl.serial(fullchain));
        assertFalse(Files.exists(configDir.resolve("archive/again.test/cert2.pem")));
    }

    @Test
    void forceRenewalMakesVersionTwoLiveAndRunsTheDeployHook() throws Exception {
        Acmejx.issue(pebble, configDir, "-d", "force.test", "-d", "www.force.test").assertSuccess();
        Path live = configDir.resolve("live/force.test");
        String firstSerial = Openssl.serial(live.resolve("cert.pem"));
        Path hookOutput = configDir.resolve("hook.out");

        Command.Result renewal = Acmejx.issue(pebble, configDir, "-d", "force.test", "-d", "www.force.test",
                "--force-renewal", "--deploy-hook", "echo \"$RENEWED_LINEAGE|$RENEWED_DOMAINS\" > " + hookOutput)
                .assertSuccess();

        try (var accounts = Files.list(configDir.resolve("accounts/" + pebble.directory.getAuthority() + "/dir"))) {
            assertEquals(1, accounts.count(), "the stored account is reused");
        }
        assertNotEquals(publicKey(configDir.resolve("archive/force.test/privkey1.pem")),
                publicKey(configDir.resolve("archive/force.test/privkey2.pem")), "a fresh key for every version");

        assertEquals(Path.of("../../archive/force.test/fullchain2.pem"),
                Files.readSymbolicLink(live.resolve("fullchain.pem")));
        assertNotEquals(firstSerial, Openssl.serial(live.resolve("cert.pem")));
        Openssl.assertValidLineage(live, pebble.issuerRoot);
        assertEquals(live + "|force.test www.force.test", Files.readString(hookOutput).strip());
    }

    @Test
    void ipAddressIdentifierIsValidatedThroughItsReverseNameSni() {
        Command.Result result = Acmejx.issue(pebble, configDir, "-d", "127.0.0.1").assertSuccess();

        assertTrue(result.err().contains("sni=1.0.0.127.in-addr.arpa alpn=acme-tls/1"), result.describe("SNI"));
        Path live = configDir.resolve("live/127.0.0.1");
        Openssl.assertValidLineage(live, pebble.issuerRoot);
        assertTrue(Openssl.text(live.resolve("cert.pem")).contains("IP Address:127.0.0.1"));
    }

    @Test
    void deployHookOfARunThatDiedBeforeItRanIsRunByTheNextRun() throws Exception {
        Path hookOutput = configDir.resolve("hook.out");
        Acmejx.issue(pebble, configDir, "-d", "resume.test", "--deploy-hook", "echo ran >> " + hookOutput)
                .assertSuccess();
        assertEquals("ran", Files.readString(hookOutput).strip());
        // As a run leaves it when it dies after moving the links and before the hook: the deployment mark set.
        Files.writeString(configDir.resolve("archive/resume.test/.deploy-pending"), "1\n");

        Command.Result next = Acmejx.issue(pebble, configDir, "-d", "resume.test").assertSuccess();

        assertTrue(next.out().contains("not due"), next.describe("nothing new ordered"));
        assertEquals(List.of("ran", "ran"), Files.readAllLines(hookOutput));
        assertFalse(Files.exists(configDir.resolve("archive/resume.test/.deploy-pending")));
    }

    private static String publicKey(Path privateKey) {
        return Command.run("openssl", "pkey", "-pubout", "-in", privateKey.toString()).assertSuccess().out();
    }
}
