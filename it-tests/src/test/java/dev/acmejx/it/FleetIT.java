package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet end to end: a real 3-member etcd on loopback, nodes with their own serve on 127.0.0.2, .3 and .4 and
 * their own config dirs, nginx behind them, and Pebble whose DNS sends the validator to a node other than the one
 * that ordered.
 */
class FleetIT {

    private static final Duration PROPAGATION = Duration.ofSeconds(10);

    private static EtcdCluster etcd;
    private static Pebble pebble;
    private static Nginx nginx;
    private static Path dir;
    private static Path fleetKey;
    private static int fleets;

    @BeforeAll
    static void startEtcdPebbleAndNginx() throws IOException {
        dir = Files.createTempDirectory("acmejx-fleet");
        fleetKey = dir.resolve("fleet.key");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.write(fleetKey, key);
        Files.setPosixFilePermissions(fleetKey, PosixFilePermissions.fromString("rw-------"));
        etcd = EtcdCluster.start(3);
        pebble = Pebble.start();
        nginx = Nginx.start();
    }

    @AfterAll
    static void stopAll() {
        try (EtcdCluster e = etcd; Pebble p = pebble; Nginx n = nginx) {
            TempDirs.delete(dir);
        }
    }

    /** A fleet of its own for each test, in the one etcd: the tests share nothing but the processes. */
    private static Fleet fleet(String... nodes) throws IOException {
        String name = "f" + ++fleets;
        List<String> args = List.of("--etcd", etcd.endpoints(), "--fleet-key", fleetKey.toString(), "--fleet", name,
                "--fleet-lease-ttl", "2s");
        Fleet fleet = new Fleet(name, args, new ArrayList<>());
        for (int i = 0; i < nodes.length; i++) {
            fleet.add(nodes[i], "127.0.0." + (2 + i));
        }
        return fleet;
    }

    /** The nodes of one test's fleet, stopped by {@link #close}. */
    private record Fleet(String name, List<String> args, List<FleetTestNode> nodes) implements AutoCloseable {

        FleetTestNode add(String node, String address) throws IOException {
            FleetTestNode started = FleetTestNode.start(node, address, dir.resolve(name), pebble, nginx.port, args);
            nodes.add(started);
            return started;
        }

        Command.Result status() {
            List<String> status = new ArrayList<>(List.of("fleet", "status"));
            status.addAll(args);
            return Acmejx.run(status);
        }

        /** One line per deploy hook run, on whichever node: the live directory it ran for. */
        Path hooks() {
            return dir.resolve(name).resolve("hooks");
        }

        List<String> hookRuns() {
            try {
                return Files.exists(hooks()) ? Files.readAllLines(hooks()) : List.of();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        FleetTestNode node(int i) {
            return nodes.get(i);
        }

        Command.Result run(FleetTestNode on, String... args) {
            return Acmejx.run(on.command(this.args, args));
        }

        /**
         * {@code issue} on {@code on}, through its own serve, with the validator sent to the fleet's last node (another
         * node than {@code on} when there are two or more), and a deploy hook that records where it ran.
         */
        Command.Result issue(FleetTestNode on, String lineage) throws IOException, InterruptedException {
            return Acmejx.run(issueArguments(on, lineage));
        }

        List<String> issueArguments(FleetTestNode on, String lineage) throws IOException, InterruptedException {
            pebble.resolve(lineage, nodes.get(nodes.size() - 1).address);
            List<String> extra = new ArrayList<>(List.of("-d", lineage, "--deploy-hook", "echo \"$RENEWED_LINEAGE\" >> "
                    + hooks(), "--node", on.name));
            extra.addAll(args);
            return Acmejx.issueArguments(on.control, pebble, on.configDir, extra.toArray(String[]::new));
        }

        /** {@code renew --force-renewal} of one lineage on {@code on}, started and left running. */
        Background renew(FleetTestNode on, String lineage) throws IOException {
            return Background.start(Acmejx.command(on.command(args, "renew", "--cert-name", lineage,
                    "--force-renewal", "--no-random-sleep-on-renew")));
        }

        /** {@link #issue} on the first node, then waits until every node has it live; returns its certificate. */
        byte[] issueEverywhere(String lineage) throws IOException, InterruptedException {
            issue(nodes.get(0), lineage).assertSuccess();
            byte[] cert = Files.readAllBytes(nodes.get(0).live(lineage, "cert"));
            awaitEverywhere(lineage, cert);
            return cert;
        }

        /** Every node's live certificate is {@code expected}, each written by that node itself. */
        void awaitEverywhere(String lineage, byte[] expected) throws InterruptedException {
            for (FleetTestNode node : nodes) {
                Eventually.holds(node.name + " has the fleet's certificate for " + lineage, PROPAGATION,
                        () -> Arrays.equals(expected, read(node.live(lineage, "cert"))));
            }
        }

        @Override
        public void close() {
            nodes.forEach(FleetTestNode::close);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aChallengeOrderedOnOneNodeIsAnsweredByAnotherAndEveryNodeGetsTheCertificate() throws Exception {
        try (Fleet fleet = fleet("a", "b", "c")) {
            String lineage = "cross." + fleet.name() + ".test";
            fleet.issue(fleet.node(0), lineage).assertSuccess();

            assertTrue(fleet.node(2).serve().tail(200).contains("answered (tls-alpn-01 for " + lineage),
                    "node c, where the validator was sent, answered:\n" + fleet.node(2).serve().tail(40));
            byte[] cert = Files.readAllBytes(fleet.node(0).live(lineage, "cert"));
            fleet.awaitEverywhere(lineage, cert);
            for (FleetTestNode node : fleet.nodes()) {
                Eventually.holds(node.name + "'s deploy hook ran for its own copy", PROPAGATION,
                        () -> fleet.hookRuns().contains(node.configDir.resolve("live").resolve(lineage).toString()));
                Path key = node.configDir.resolve("archive").resolve(lineage).resolve("privkey1.pem");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
                assertArrayEquals(Files.readAllBytes(fleet.node(0).live(lineage, "privkey")),
                        Files.readAllBytes(node.live(lineage, "privkey")), "one key for the whole fleet");
            }
            String status = fleet.status().assertSuccess().out();
            assertTrue(status.contains("fleet " + fleet.name() + ": 3 nodes, 1 lineages, 0 locks held"), status);
            Eventually.holds("fleet status shows every node on version 1", PROPAGATION, () -> fleet.status().out()
                    .contains("lineage " + lineage + ": version 1 in etcd; a 1, b 1, c 1"));
        }
    }

    @Test
    void noPrivateKeyInEtcdIsUsable() throws Exception {
        try (Fleet fleet = fleet("a", "b")) {
            String lineage = "keys." + fleet.name() + ".test";
            fleet.issue(fleet.node(0), lineage).assertSuccess();
            Map<String, byte[]> keyspace = etcd.dump();
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
        try (Fleet fleet = fleet("a", "b")) {
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

    /**
     * A registered node that never acknowledges makes every publish wait its 5 s for it: the window in which the
     * tests below kill things while the renewing node holds the lock.
     */
    private static void registerSilentNode(Fleet fleet) throws IOException, InterruptedException {
        etcd.put("/acmejx/" + fleet.name() + "/nodes/silent", "{}");
    }

    private static void forgetSilentNode(Fleet fleet) throws IOException, InterruptedException {
        etcd.delete("/acmejx/" + fleet.name() + "/nodes/silent");
    }

    @Test
    void aNodeKilledHoldingTheLockBlocksTheNextRenewalOnlyUntilItsLeaseExpires() throws Exception {
        try (Fleet fleet = fleet("a", "b")) {
            String lineage = "killed." + fleet.name() + ".test";
            byte[] first = fleet.issueEverywhere(lineage);
            registerSilentNode(fleet);
            try (Background a = fleet.renew(fleet.node(0), lineage)) {
                a.awaitLine(line -> line.contains("holding the fleet's lock"), Duration.ofSeconds(30));
                a.kill9();
            }
            forgetSilentNode(fleet);
            assertArrayEquals(first, Files.readAllBytes(fleet.node(0).live(lineage, "cert")), "nothing committed");
            try (Background b = fleet.renew(fleet.node(1), lineage)) {
                assertEquals(0, b.exitCode(Duration.ofMinutes(2)), b.output());
                assertTrue(b.output().contains("waiting for node a, which holds the fleet's lock"), b.output());
                assertTrue(b.output().contains("renewed   " + lineage), b.output());
                assertFalse(b.output().contains("registered account"), "the fleet's one account:\n" + b.output());
            }
            fleet.awaitEverywhere(lineage, Files.readAllBytes(fleet.node(1).live(lineage, "cert")));
        }
    }

    /**
     * A holder that stalls past its lease (SIGSTOP) while another node renews, and then goes on, changes nothing.
     * Depending on where it stopped, it sees the new version when it catches up, or etcd refuses its next write under
     * the expired lease, or the commit's check on the lock's revision refuses it. Without these it would overwrite the
     * newer version everywhere.
     */
    @Test
    void aHolderThatStalledPastItsLeaseCannotCommitOverTheNextHoldersVersion() throws Exception {
        try (Fleet fleet = fleet("a", "b")) {
            String lineage = "fenced." + fleet.name() + ".test";
            fleet.issueEverywhere(lineage);
            registerSilentNode(fleet);
            try (Background a = fleet.renew(fleet.node(0), lineage)) {
                a.awaitLine(line -> line.contains("holding the fleet's lock"), Duration.ofSeconds(30));
                a.signal("STOP");
                String lock = "/acmejx/" + fleet.name() + "/locks/" + lineage;
                Eventually.holds("a's lease expires with it stopped", PROPAGATION, () -> !hasKey(lock));
                forgetSilentNode(fleet);
                try (Background b = fleet.renew(fleet.node(1), lineage)) {
                    assertEquals(0, b.exitCode(Duration.ofMinutes(2)), b.output());
                }
                byte[] next = Files.readAllBytes(fleet.node(1).live(lineage, "cert"));
                a.signal("CONT");
                int exit = a.exitCode(Duration.ofMinutes(2));
                String out = a.output();
                boolean sawTheNewVersion = exit == 0 && out.contains("renewed by another run meanwhile");
                boolean refused = exit == 1 && out.contains("live/ is unchanged");
                assertTrue(sawTheNewVersion || refused, "where it resumes decides which, but it changes nothing:\n"
                        + out);
                fleet.awaitEverywhere(lineage, next);
                assertFalse(Files.exists(fleet.node(1).configDir.resolve("archive").resolve(lineage)
                        .resolve("cert3.pem")), "no third version");
            }
        }
    }

    private static boolean hasKey(String key) {
        try {
            return etcd.dump().containsKey(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Test
    void anEtcdMemberKilledMidOrderChangesNothing() throws Exception {
        try (Fleet fleet = fleet("a", "b")) {
            String lineage = "member." + fleet.name() + ".test";
            fleet.issueEverywhere(lineage);
            registerSilentNode(fleet);
            try (Background a = fleet.renew(fleet.node(0), lineage)) {
                a.awaitLine(line -> line.contains("holding the fleet's lock"), Duration.ofSeconds(30));
                etcd.kill(0);
                assertEquals(0, a.exitCode(Duration.ofMinutes(2)), a.output());
                assertTrue(a.output().contains("renewed   " + lineage), a.output());
            } finally {
                forgetSilentNode(fleet);
                etcd.restart(0);
            }
            fleet.awaitEverywhere(lineage, Files.readAllBytes(fleet.node(0).live(lineage, "cert")));
            assertFalse(fleet.node(1).serve().tail(400).contains("etcd is unreachable"),
                    "two members of three are no outage:\n" + fleet.node(1).serve().tail(40));
        }
    }

    @Test
    void withAllOfEtcdStoppedTrafficFlowsAndRenewFailsCleanlyThenTheFleetCatchesUp() throws Exception {
        try (Fleet fleet = fleet("a", "b")) {
            String lineage = "outage." + fleet.name() + ".test";
            byte[] before = fleet.issueEverywhere(lineage);
            FleetTestNode a = fleet.node(0);
            try (WrkLoad load = WrkLoad.start(Nginx.SITE, a.loadPort)) {
                etcd.stopAll();
                try {
                    a.serve().awaitLine(line -> line.contains("etcd is unreachable"));
                    Command.Result renew = fleet.run(a, "renew", "--cert-name", lineage, "--force-renewal",
                            "--no-random-sleep-on-renew");
                    assertEquals(1, renew.exit(), renew.out() + renew.err());
                    assertTrue((renew.out() + renew.err()).contains("etcd is unreachable at " + etcd.endpoints()),
                            renew.out() + renew.err());
                    assertArrayEquals(before, Files.readAllBytes(a.live(lineage, "cert")), "live/ untouched");
                } finally {
                    etcd.startAll();
                }
                a.serve().awaitLine(line -> line.contains("etcd is reachable again"));
                WrkLoad.Report report = load.stop();
                assertTrue(report.requests() > 0, report.output());
                assertEquals(List.of(), report.errors(), "no client saw the outage:\n" + report.output());
            }
            List<String> etcdLines = a.serve().tail(5000).lines().filter(l -> l.contains("etcd is")).toList();
            assertEquals(1, etcdLines.stream().filter(l -> l.contains("etcd is unreachable")).count(),
                    "the outage is logged once, not once per retry:\n" + etcdLines);
            try (Background b = fleet.renew(fleet.node(1), lineage)) {
                assertEquals(0, b.exitCode(Duration.ofMinutes(2)), b.output());
            }
            fleet.awaitEverywhere(lineage, Files.readAllBytes(fleet.node(1).live(lineage, "cert")));
        }
    }

    @Test
    void aNodeThatJoinsLateCatchesUpOnStartAndPushMovesALocalLineageIn() throws Exception {
        try (Fleet fleet = fleet("a")) {
            String lineage = "late." + fleet.name() + ".test";
            fleet.issue(fleet.node(0), lineage).assertSuccess();
            String local = "local." + fleet.name() + ".test";
            pebble.resolve(local, fleet.node(0).address);
            Acmejx.issueThrough(fleet.node(0).control, pebble, fleet.node(0).configDir, "-d", local).assertSuccess();
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
        try (Fleet fleet = fleet("a", "b")) {
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
            Eventually.holds("node b stops answering the withdrawn challenge", PROPAGATION,
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
        try (Fleet fleet = fleet("a", "b")) {
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
            long accounts = etcd.dump().keySet().stream().filter(k -> k.startsWith("/acmejx/" + fleet.name() + "/"))
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
