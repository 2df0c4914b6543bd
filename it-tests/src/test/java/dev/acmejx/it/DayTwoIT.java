package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The everyday commands against a real Pebble: {@code certificates}, {@code revoke}, {@code delete} and
 * {@code account}, each checked through something other than acmejx (openssl, Pebble's management API, the files).
 */
class DayTwoIT extends PebbleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where {@code account deactivate} marks the account in meta.json, so later runs say so before asking. */
    private static final String DEACTIVATED_MARK = "acmejx_deactivated_dt";

    /** A copy of the config dir, for a run that must not see what acmejx marked locally. */
    @TempDir
    Path unmarked;

    @Test
    void certificatesJsonDescribesTheIssuedLineage() throws Exception {
        Acmejx.issue(pebble, configDir, "-d", "b.list.test,a.list.test").assertSuccess();
        Path live = configDir.resolve("live/b.list.test");

        Command.Result listing = Acmejx.run(List.of("certificates", "--json", "--config-dir", configDir.toString()))
                .assertSuccess();

        JsonNode all = JSON.readTree(listing.out());
        assertEquals(1, all.size(), listing.describe("one lineage"));
        JsonNode row = all.get(0);
        assertEquals("b.list.test", row.get("name").asText());
        assertEquals(List.of("b.list.test", "a.list.test"), texts(row.get("domains")), "the order given to issue");
        assertEquals("ECDSA P-256", row.get("keyType").asText());
        assertEquals(opensslSerial(live.resolve("cert.pem")), new BigInteger(row.get("serial").asText(), 16));
        assertTrue(row.get("daysLeft").asInt() > 0, row.toString());
        assertTrue(row.get("valid").asBoolean(), row.toString());
        assertTrue(row.get("reason").isNull(), row.toString());
        assertEquals(live.resolve("fullchain.pem").toString(), row.get("fullchain").asText());
        assertEquals(live.resolve("privkey.pem").toString(), row.get("privkey").asText());

        Command.Result human = Acmejx.run(List.of("certificates", "--config-dir", configDir.toString()))
                .assertSuccess();
        assertTrue(human.out().contains("Certificate Name: b.list.test")
                && human.out().contains("Domains: b.list.test a.list.test") && human.out().contains("(VALID: "),
                human.describe("certbot-like listing"));
    }

    @Test
    void lineagesWithAWrongOrMissingKeyAreListedInvalidAndTheListingSucceeds() throws Exception {
        Acmejx.issue(pebble, configDir, "-d", "mismatch.test").assertSuccess();
        Acmejx.issue(pebble, configDir, "-d", "nokey.test").assertSuccess();
        Path mismatched = configDir.resolve("archive/mismatch.test/privkey1.pem");
        Files.delete(mismatched);
        Command.run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                mismatched.toString()).assertSuccess();
        Files.delete(configDir.resolve("archive/nokey.test/privkey1.pem"));

        Command.Result listing = Acmejx.run(List.of("certificates", "--json", "--config-dir", configDir.toString()))
                .assertSuccess();

        JsonNode all = JSON.readTree(listing.out());
        assertEquals(List.of("mismatch.test", "nokey.test"), List.of(all.get(0).get("name").asText(),
                all.get(1).get("name").asText()));
        for (JsonNode row : all) {
            assertFalse(row.get("valid").asBoolean(), row.toString());
            assertTrue(row.get("serial").isTextual(), "the certificate is still described: " + row);
        }
        assertEquals("privkey.pem is not the key of cert.pem", all.get(0).get("reason").asText());
        assertEquals("privkey.pem links to a file that is gone", all.get(1).get("reason").asText());
        Command.Result human = Acmejx.run(List.of("certificates", "--config-dir", configDir.toString()))
                .assertSuccess();
        assertTrue(human.out().contains("(INVALID: privkey.pem is not the key of cert.pem)"), human.out());
    }

    @Test
    void revokeByCertNameIsRecordedByTheCaWithTheReasonAndKeepsTheFiles() throws Exception {
        Acmejx.issue(pebble, configDir, "-d", "revoke.test").assertSuccess();
        Path cert = configDir.resolve("live/revoke.test/cert.pem");
        BigInteger serial = opensslSerial(cert);
        PebbleManagement management = new PebbleManagement(pebble);
        assertEquals("Valid", management.certificateStatus(serial).get("Status").asText());

        Command.Result revoke = Acmejx.run(List.of("revoke", "--cert-name", "revoke.test", "--reason",
                "keycompromise", "--config-dir", configDir.toString())).assertSuccess();

        JsonNode status = management.certificateStatus(serial);
        assertEquals("Revoked", status.get("Status").asText(), status.toString());
        assertEquals(1, status.get("Reason").asInt(), "keyCompromise is RFC 5280 reason 1: " + status);
        assertTrue(revoke.out().contains(serial.toString(16)), revoke.describe("serial in the summary"));
        assertTrue(Files.isRegularFile(cert) && Files.isRegularFile(configDir.resolve("live/revoke.test/privkey.pem")),
                "revoke deletes nothing");

        Command.Result again = Acmejx.run(List.of("revoke", "--cert-path", cert.toString(), "--config-dir",
                configDir.toString()));
        assertEquals(1, again.exit(), again.describe("revoking twice"));
        assertTrue(again.err().contains("alreadyRevoked"), again.describe("the CA's problem type"));
    }

    @Test
    void revokeSaysWhatIsMissing() throws Exception {
        Acmejx.issue(pebble, configDir, "-d", "norevoke.test").assertSuccess();
        Path elsewhere = Files.createDirectories(configDir.resolve("another-config-dir"));
        Path cert = Files.copy(configDir.resolve("live/norevoke.test/cert.pem"), elsewhere.resolve("cert.pem"));

        Command.Result unknown = Acmejx.run(List.of("revoke", "--cert-name", "other.test", "--config-dir",
                configDir.toString()));
        Command.Result noServer = Acmejx.run(List.of("revoke", "--cert-path", cert.toString(), "--config-dir",
                elsewhere.toString()));
        Command.Result noAccount = Acmejx.run(List.of("revoke", "--cert-path", cert.toString(), "--config-dir",
                elsewhere.toString(), "--server", pebble.directory.toString(), "--ca-cert", pebble.caCert.toString()));

        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("'other.test'") && unknown.err().contains("there are: norevoke.test"),
                unknown.describe("unknown lineage"));
        assertEquals(1, noServer.exit());
        assertTrue(noServer.err().contains("give --server"), noServer.describe("no server"));
        assertEquals(1, noAccount.exit());
        assertTrue(noAccount.err().contains("no account for " + pebble.directory), noAccount.describe("no account"));
        assertEquals("Valid", new PebbleManagement(pebble).certificateStatus(opensslSerial(cert))
                .get("Status").asText());
    }

    @Test
    void deleteRemovesTheLineageOnlyWhenTold() throws Exception {
        Acmejx.issue(pebble, configDir, "-d", "delete.test").assertSuccess();
        Acmejx.issue(pebble, configDir, "-d", "keep.test").assertSuccess();
        List<Path> paths = List.of(configDir.resolve("live/delete.test"), configDir.resolve("archive/delete.test"),
                configDir.resolve("renewal/delete.test.conf"));

        Command.Result unasked = Acmejx.run(List.of("delete", "--cert-name", "delete.test", "--config-dir",
                configDir.toString()));
        assertEquals(1, unasked.exit(), unasked.describe("no terminal and no -n"));
        assertTrue(unasked.err().contains("-n"), unasked.describe("names -n"));
        paths.forEach(p -> assertTrue(Files.exists(p), p + " removed without confirmation"));

        Acmejx.run(List.of("delete", "--cert-name", "delete.test", "-n", "--config-dir", configDir.toString()))
                .assertSuccess();

        paths.forEach(p -> assertFalse(Files.exists(p), p + " is still there"));
        JsonNode all = JSON.readTree(Acmejx.run(List.of("certificates", "--json", "--config-dir",
                configDir.toString())).assertSuccess().out());
        assertEquals(1, all.size());
        assertEquals("keep.test", all.get(0).get("name").asText());
        Openssl.assertValidLineage(configDir.resolve("live/keep.test"), pebble.issuerRoot);

        Command.Result unknown = Acmejx.run(List.of("delete", "--cert-name", "delete.test", "-n", "--config-dir",
                configDir.toString()));
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("there are: keep.test"), unknown.describe("the known names"));
    }

    @Test
    void accountShowUpdateAndKeyRolloverKeepTheAccountUsable() throws Exception {
        Acmejx.issue(pebble, configDir, "-d", "account.test").assertSuccess();
        Path accountDir = onlyAccountDir();
        String oldKey = Files.readString(accountDir.resolve("private_key.json"));

        JsonNode shown = JSON.readTree(account("show", "--json").out());
        assertEquals(accountDir.getFileName().toString(), shown.get("id").asText());
        assertEquals("valid", shown.get("status").asText());
        assertEquals(List.of("mailto:it@example.org"), texts(shown.get("contacts")));
        assertTrue(shown.get("location").asText().startsWith("https://"), shown.toString());

        account("update", "-m", "changed@example.org");
        assertEquals(List.of("mailto:changed@example.org"),
                texts(JSON.readTree(account("show", "--json").out()).get("contacts")));

        Command.Result rollover = account("key-rollover");
        assertTrue(rollover.out().contains("new key"), rollover.describe("summary"));
        assertEquals(accountDir, onlyAccountDir(), "the account keeps its directory and id");
        assertNotEquals(oldKey, Files.readString(accountDir.resolve("private_key.json")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                accountDir.resolve("private_key.json"))));
        assertFalse(Files.exists(accountDir.resolve("private_key.json.next")));

        // Pebble refuses requests signed with the old key now, so this order proves the new one is used.
        Acmejx.issue(pebble, configDir, "-d", "account.test", "--force-renewal").assertSuccess();
        assertEquals(Path.of("../../archive/account.test/cert2.pem"),
                Files.readSymbolicLink(configDir.resolve("live/account.test/cert.pem")));
        assertEquals("valid", JSON.readTree(account("show", "--json").out()).get("status").asText());
    }

    @Test
    void deactivatedAccountOrdersNothingAndSaysWhy() throws Exception {
        Acmejx.issue(pebble, configDir, "-d", "deactivate.test").assertSuccess();
        Path accountDir = onlyAccountDir();

        account("deactivate", "-n");

        Command.Result issue = Acmejx.issue(pebble, configDir, "-d", "deactivate.test", "--force-renewal");
        assertEquals(1, issue.exit(), issue.describe("ordering with a deactivated account"));
        assertTrue(issue.err().contains("deactivated") && issue.err().contains(accountDir.toString()),
                issue.describe("what happened and what to do"));
        assertEquals("deactivated", JSON.readTree(account("show", "--json").out()).get("status").asText());
        assertEquals(Path.of("../../archive/deactivate.test/cert1.pem"),
                Files.readSymbolicLink(configDir.resolve("live/deactivate.test/cert.pem")), "live/ untouched");

        ConfigDirs.copy(configDir, unmarked);
        Path meta = unmarked.resolve(configDir.relativize(accountDir)).resolve("meta.json");
        ObjectNode fields = (ObjectNode) JSON.readTree(meta.toFile());
        assertTrue(fields.has(DEACTIVATED_MARK), fields.toString());
        fields.remove(DEACTIVATED_MARK);
        Files.writeString(meta, fields.toString());
        Command.Result refused = Acmejx.issue(pebble, unmarked, "-d", "deactivate.test", "--force-renewal");
        assertEquals(1, refused.exit(), refused.describe("the CA refuses the deactivated account"));
        assertTrue(refused.err().contains("urn:ietf:params:acme:error:unauthorized"),
                refused.describe("the CA's own refusal, not acmejx's mark"));
    }

    private Command.Result account(String... args) {
        List<String> command = new ArrayList<>(List.of("account"));
        command.addAll(List.of(args));
        command.addAll(List.of("--server", pebble.directory.toString(), "--ca-cert", pebble.caCert.toString(),
                "--config-dir", configDir.toString()));
        return Acmejx.run(command).assertSuccess();
    }

    private Path onlyAccountDir() throws Exception {
        try (Stream<Path> accounts = Files.list(configDir.resolve("accounts/" + pebble.directory.getAuthority()
                + "/dir"))) {
            List<Path> all = accounts.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    private static BigInteger opensslSerial(Path cert) {
        String line = Openssl.serial(cert);
        assertTrue(line.startsWith("serial="), line);
        return new BigInteger(line.substring("serial=".length()), 16);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
