package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet end to end: a real 3-member etcd on loopback, nodes with their own serve on 127.0.0.2, .3 and .4 and
 * their own config dirs, nginx behind them, and Pebble whose DNS sends the validator to a node other than the one
 * that ordered. {@link FleetFaultsIT} kills and stalls things.
 */
class FleetIT {

    private static FleetWorld world;

    @BeforeAll
    static void startEtcdPebbleAndNginx() throws IOException {
        world = FleetWorld.start();
    }

    @AfterAll
    static void stopAll() {
        world.close();
    }

    @Test
    void aChallengeOrderedOnOneNodeIsAnsweredByAnotherAndEveryNodeGetsTheCertificate() throws Exception {
        try (TestFleet fleet = world.fleet("a", "b", "c")) {
            String lineage = "cross." + fleet.name() + ".test";
            fleet.issue(fleet.node(0), lineage).assertSuccess();

            assertTrue(fleet.node(2).serve().tail(200).contains("answered (tls-alpn-01 for " + lineage),
                    "node c, where the validator was sent, answered:\n" + fleet.node(2).serve().tail(40));
            byte[] cert = Files.readAllBytes(fleet.node(0).live(lineage, "cert"));
            fleet.awaitEverywhere(lineage, cert);
            for (FleetTestNode node : fleet.nodes()) {
                Eventually.holds(node.name + "'s deploy hook ran for its own copy", TestFleet.PROPAGATION,
                        () -> fleet.hookRuns().contains(node.configDir.resolve("live").resolve(lineage).toString()));
                Path key = node.configDir.resolve("archive").resolve(lineage).resolve("privkey1.pem");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
                assertArrayEquals(Files.readAllBytes(fleet.node(0).live(lineage, "privkey")),
                        Files.readAllBytes(node.live(lineage, "privkey")), "one key for the whole fleet");
            }
            String status = fleet.status().assertSuccess().out();
            assertTrue(status.contains("fleet " + fleet.name() + ": 3 nodes, 1 lineages, 0 locks held"), status);
            Eventually.holds("fleet status shows every node on version 1", TestFleet.PROPAGATION, () -> fleet.status().out()
                    .contains("lineage " + lineage + ": version 1 in etcd; a 1, b 1, c 1"));
        }
    }

    @Test
    void noPrivateKeyInEtcdIsUsable() throws Exception {
        try (TestFleet fleet = world.fleet("a", "b")) {
            String lineage = "keys." + fleet.name() + ".test";
            fleet.issue(fleet.node(0), lineage).assertSuccess();
            Map<String, byte[]> keyspace = world.etcd().dump();
            assertTrue(keyspace.keySet().stream().anyMatch(k -> k.endsWith("/privkey")), keyspace.keySet().toString());
            assertTrue(keyspace.keySet().stream().anyMatch(k -> k.endsWith("/private_key.json")),
                    keyspace.keySet().toString());
            for (Map.Entry<String, byte[]> entry : keyspace.entrySet()) {
                String text = new String(entry.getValue(), StandardCharsets.ISO_8859_1);
                assertFalse(text.contains("PRIVATE KEY"), entry.getKey() + " holds a PEM private key");
                assertFalse(text.contains("\"d\""), entry.getKey() + " holds a JWK private key");
                assertFalse(parsesAsPkcs8(entry.getValue()), entry.getKey() + " holds a DER private key");
            }
        }
    }

    @Test
    void twoNodesRenewingAtOnceOrderOnceAndTheLoserSaysSo() throws Exception {
        try (TestFleet fleet = world.fleet("a", "b")) {
            String lineage = "race." + fleet.name() + ".test";
            fleet.issueEverywhere(lineage);
            try (Background a = fleet.renew(fleet.node(0), lineage); Background b = fleet.renew(fleet.node(1), lineage)) {
                assertEquals(0, a.exitCode(Duration.ofMinutes(2)), a.output());
                assertEquals(0, b.exitCode(Duration.ofMinutes(2)), b.output());
                List<String> outputs = List.of(a.output(), b.output());
                assertEquals(1, outputs.stream().filter(o -> o.contains("renewed   " + lineage)).count(),
                        "exactly one order:\n" + outputs);
                assertEquals(1, outputs.stream().filter(o -> o.contains("not due   " + lineage
                        + ": another acmejx renewed it meanwhile")).count(), "the other saw it:\n" + outputs);
            }
            byte[] renewed = Files.readAllBytes(fleet.node(0).live(lineage, "cert"));
            fleet.awaitEverywhere(lineage, renewed);
            assertTrue(Files.exists(fleet.node(1).configDir.resolve("archive").resolve(lineage).resolve("cert2.pem")));
            assertFalse(Files.exists(fleet.node(1).configDir.resolve("archive").resolve(lineage).resolve("cert3.pem")));
        }
    }

    @Test
    void aNodeThatJoinsLateCatchesUpOnStartAndPushMovesALocalLineageIn() throws Exception {
        try (TestFleet fleet = world.fleet("a")) {
            String lineage = "late." + fleet.name() + ".test";
            fleet.issue(fleet.node(0), lineage).assertSuccess();
            String local = "local." + fleet.name() + ".test";
            world.pebble().resolve(local, fleet.node(0).address);
            Acmejx.issueThrough(fleet.node(0).control, world.pebble(), fleet.node(0).configDir, "-d", local).assertSuccess();
            String pushed = fleet.run(fleet.node(0), "fleet", "push", "--cert-name", local).assertSuccess().out();
            assertTrue(pushed.contains(local + ": version 1 is in fleet " + fleet.name()), pushed);
            Command.Result alone = Acmejx.run(List.of("renew", "--cert-name", local, "--force-renewal",
                    "--no-random-sleep-on-renew", "--config-dir", fleet.node(0).configDir.toString()));
            assertEquals(1, alone.exit(), "a fleet lineage never renews alone:\n" + alone.out() + alone.err());
            assertTrue(alone.out().contains("belongs to fleet " + fleet.name()), alone.out());

            FleetTestNode late = fleet.add("late", "127.0.0.9");
            fleet.awaitEverywhere(lineage, Files.readAllBytes(fleet.node(0).live(lineage, "cert")));
            fleet.awaitEverywhere(local, Files.readAllBytes(fleet.node(0).live(local, "cert")));
            assertTrue(Files.readString(late.configDir.resolve("renewal").resolve(local + ".conf"))
                    .contains("control_socket = " + late.control), "the late node answers through its own serve");
        }
    }

    @Test
    void aChallengeAddedThroughOneNodeIsAnsweredByEveryNodeUntilRemoved() throws Exception {
        try (TestFleet fleet = world.fleet("a", "b")) {
            String name = "hook." + fleet.name() + ".test";
            String keyAuthorization = "token-" + fleet.name() + ".thumbprint";
            FleetTestNode a = fleet.node(0);
            FleetTestNode b = fleet.node(1);
            List<String> add = new ArrayList<>(List.of("challenge", "add", "--type", "tls-alpn-01", "--identifier",
                    name, "--key-authorization", keyAuthorization, "--control", a.control.toString()));
            add.addAll(fleet.args());
            Acmejx.run(add).assertSuccess();
            TlsProbe.Handshake answer = TlsProbe.connect(b.loadPort, name, "acme-tls/1");
            ChallengeCertificates.assertTlsAlpn01(answer.certificate(), "dns:" + name, keyAuthorization);

            List<String> remove = new ArrayList<>(List.of("challenge", "remove", "--identifier", name, "--control",
                    a.control.toString()));
            remove.addAll(fleet.args());
            Acmejx.run(remove).assertSuccess();
            Eventually.holds("node b stops answering the withdrawn challenge", TestFleet.PROPAGATION,
                    () -> !answers(b.loadPort, name));
        }
    }

    private static boolean answers(int port, String name) {
        try {
            TlsProbe.connect(port, name, "acme-tls/1");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void twoNodesOrderingTheFleetsFirstCertificatesAtOnceRegisterOneAccount() throws Exception {
        try (TestFleet fleet = world.fleet("a", "b")) {
            String first = "first." + fleet.name() + ".test";
            String second = "second." + fleet.name() + ".test";
            try (Background a = Background.start(Acmejx.command(fleet.issueArguments(fleet.node(0), first)));
                    Background b = Background.start(Acmejx.command(fleet.issueArguments(fleet.node(1), second)))) {
                assertEquals(0, a.exitCode(Duration.ofMinutes(2)), a.output());
                assertEquals(0, b.exitCode(Duration.ofMinutes(2)), b.output());
                long registered = List.of(a.output(), b.output()).stream()
                        .filter(o -> o.contains("registered account")).count();
                assertEquals(1, registered, "one account for the fleet:\n" + a.output() + b.output());
            }
            long accounts = world.etcd().dump().keySet().stream().filter(k -> k.startsWith("/acmejx/" + fleet.name() + "/"))
                    .filter(k -> k.endsWith("/private_key.json")).count();
            assertEquals(1, accounts, "one account key in etcd");
        }
    }

    private static boolean parsesAsPkcs8(byte[] value) {
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(value));
                return true;
            } catch (GeneralSecurityException e) {
                // not a key of this algorithm
            }
        }
        return false;
    }
}
