package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certbot user's first day: lineages made by Debian's real certbot against Pebble, in the config dir acmejx then
 * uses. renew leaves them to certbot; adopt takes one over in place and renew orders for it with certbot's account;
 * undo gives it back; certbot reads the directory without a complaint at every step.
 */
class CertbotAdoptionIT {

    private static Pebble pebble;

    @TempDir
    Path configDir;

    @TempDir
    Path certbotDir;

    private Certbot certbot;

    @BeforeAll
    static void startPebble() throws Exception {
        assumeTrue(Command.run("sh", "-c", "command -v certbot").exit() == 0,
                "needs Debian's certbot (apt-get install certbot; ./run-tests installs it)");
        pebble = Pebble.startForCertbot();
    }

    @AfterAll
    static void stopPebble() {
        if (pebble != null) {
            pebble.close();
        }
    }

    @BeforeEach
    void certbotMakesTwoLineages() {
        certbot = new Certbot(pebble, configDir, certbotDir);
        certbot.certonly("adopt.test", "adopt.test", "www.adopt.test").assertSuccess();
        certbot.certonly("keep.test", "keep.test").assertSuccess();
    }

    @Test
    void renewLeavesCertbotsLineagesAloneEvenWhenForcedAndSaysHowToAdoptThem() throws Exception {
        byte[] before = Files.readAllBytes(configDir.resolve("live/adopt.test/cert.pem"));

        Command.Result forced = renew("--force-renewal").assertSuccess();

        assertTrue(forced.out().contains("certbot's adopt.test: certbot's lineage (authenticator standalone), left "
                + "to certbot; `acmejx adopt --cert-name adopt.test --config-dir " + configDir + "` hands it to "
                + "acmejx"), forced.describe("the summary line"));
        assertTrue(forced.out().contains("0 renewed, 0 failed, 2 other"), forced.describe("nothing ordered"));
        assertArrayEquals(before, Files.readAllBytes(configDir.resolve("live/adopt.test/cert.pem")));
        assertFalse(forced.err().contains("order created"), forced.describe("no order"));
    }

    @Test
    void adoptRenewWithCertbotsAccountThenUndoWhileCertbotKeepsReadingTheDirectory() throws Exception {
        Path conf = configDir.resolve("renewal/adopt.test.conf");
        byte[] certbotsConf = Files.readAllBytes(conf);
        List<Path> accounts = accountDirs();
        assertEquals(1, accounts.size(), "certbot registered one account");

        adopt("--cert-name", "adopt.test").assertSuccess();

        assertArrayEquals(certbotsConf, Files.readAllBytes(configDir.resolve("renewal/adopt.test.conf.certbot")));
        String adopted = Files.readString(conf);
        assertTrue(adopted.contains("authenticator = acmejx"), adopted);
        assertTrue(adopted.contains("autorenew = False"), adopted);
        assertTrue(adopted.contains("account = " + accounts.get(0).getFileName()), adopted);
        Files.writeString(conf, "renew_before_expiry = 3000 days\n" + adopted);
        assertCertbotIsContent();

        Command.Result renewed = renew("--force-renewal").assertSuccess();

        assertTrue(renewed.out().contains("renewed   adopt.test: version 2"), renewed.describe("renewed in place"));
        assertTrue(renewed.out().contains("certbot's keep.test"), renewed.describe("the other stays certbot's"));
        assertEquals(Path.of("../../archive/adopt.test/cert2.pem"),
                Files.readSymbolicLink(configDir.resolve("live/adopt.test/cert.pem")), "certbot's numbering goes on");
        Openssl.assertValidLineage(configDir.resolve("live/adopt.test"), pebble.issuerRoot);
        assertEquals(accounts, accountDirs(), "certbot's account ordered it; none was registered");
        assertTrue(renewed.err().contains("account " + accounts.get(0).getFileName()), renewed.describe("account"));
        assertCertbotIsContent();

        adopt("--undo", "--cert-name", "adopt.test").assertSuccess();

        assertArrayEquals(certbotsConf, Files.readAllBytes(conf), "certbot's conf, as it was");
        assertFalse(Files.exists(configDir.resolve("renewal/adopt.test.conf.certbot")));
        Command.Result left = renew("--force-renewal").assertSuccess();
        assertTrue(left.out().contains("certbot's adopt.test"), left.describe("certbot's again"));
        assertCertbotIsContent();
    }

    @Test
    void issueOnACertbotLineageSaysThatItAdoptsIt() throws Exception {
        Command.Result issued = Acmejx.issue(pebble, configDir, "--cert-name", "keep.test", "-d", "keep.test",
                "--force-renewal").assertSuccess();

        assertTrue(issued.err().contains("keep.test: this issue adopts certbot's lineage (authenticator standalone)"),
                issued.describe("issue says so"));
        assertTrue(Files.exists(configDir.resolve("renewal/keep.test.conf.certbot")), "certbot's conf is kept");
        assertEquals(accountDirs().size(), 1, "issue kept certbot's account too");
        assertCertbotIsContent();
    }

    @Test
    void adoptAllTakesEveryCertbotLineageAndSaysWhenThereIsNothingToDo() throws Exception {
        Command.Result all = adopt("--all").assertSuccess();

        assertTrue(all.out().contains("done      adopt.test"), all.describe("adopted"));
        assertTrue(all.out().contains("done      keep.test"), all.describe("adopted"));
        Command.Result again = adopt("--all").assertSuccess();
        assertTrue(again.out().contains("unchanged adopt.test: already acmejx's"), again.describe("idempotent"));
        Command.Result undoAll = adopt("--all", "--undo");
        assertEquals(1, undoAll.exit(), undoAll.describe("--undo takes one lineage"));
        assertTrue(undoAll.err().contains("give --cert-name NAME instead of --all"), undoAll.describe("why"));
    }

    /**
     * certbot lists every lineage without a complaint, and its renew (whose timer still runs) exits 0 having tried
     * nothing: adopted, a lineage is due for certbot by its renew_before_expiry, and autorenew = False holds it back.
     */
    private void assertCertbotIsContent() {
        Command.Result listed = certbot.run("certificates").assertSuccess();
        assertTrue(listed.out().contains("Certificate Name: adopt.test"), listed.describe("listed"));
        assertTrue(listed.out().contains("Certificate Name: keep.test"), listed.describe("listed"));
        String all = listed.out() + listed.err();
        assertFalse(all.contains("invalid") || all.contains("rror") || all.contains("Skipping"),
                listed.describe("a complaint"));
        Command.Result renewed = certbot.run("renew", "--no-random-sleep-on-renew").assertSuccess();
        assertTrue(renewed.out().contains("No renewals were attempted"), renewed.describe("certbot renew"));
    }

    private Command.Result renew(String... extra) {
        List<String> args = new ArrayList<>(List.of("renew", "--config-dir", configDir.toString(),
                "--no-random-sleep-on-renew"));
        args.addAll(List.of(extra));
        return Acmejx.run(args);
    }

    private Command.Result adopt(String... extra) {
        List<String> args = new ArrayList<>(List.of("adopt", "--config-dir", configDir.toString(), "--listen",
                "127.0.0.1:" + pebble.tlsPort, "--control", certbotDir.resolve("no-serve.sock").toString(),
                "--ca-cert", pebble.caCert.toString()));
        args.addAll(List.of(extra));
        return Acmejx.run(args);
    }

    private List<Path> accountDirs() throws Exception {
        Path server = configDir.resolve("accounts/" + pebble.directory.getRawAuthority()
                + pebble.directory.getRawPath());
        try (Stream<Path> dirs = Files.list(server)) {
            return dirs.sorted().toList();
        }
    }
}
