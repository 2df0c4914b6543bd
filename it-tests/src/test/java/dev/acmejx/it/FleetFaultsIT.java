package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet when things fail: a node killed or stalled while it holds a lineage's lock, an etcd member killed
 * mid-order, and all of etcd stopped while traffic flows. The same setup as {@link FleetIT}.
 */
class FleetFaultsIT {

    private static FleetWorld world;

    @BeforeAll
    static void startEtcdPebbleAndNginx() throws IOException {
        world = FleetWorld.start();
    }

    @AfterAll
    static void stopAll() {
        world.close();
    }

    /**
     * A registered node that never acknowledges makes every publish wait its 5 s for it: the window in which the
     * tests below kill things while the renewing node holds the lock.
     */
    private static void registerSilentNode(TestFleet fleet) throws IOException, InterruptedException {
        world.etcd().put("/acmejx/" + fleet.name() + "/nodes/silent", "{}");
    }

    private static void forgetSilentNode(TestFleet fleet) throws IOException, InterruptedException {
        world.etcd().delete("/acmejx/" + fleet.name() + "/nodes/silent");
    }

    @Test
    void aNodeKilledHoldingTheLockBlocksTheNextRenewalOnlyUntilItsLeaseExpires() throws Exception {
        try (TestFleet fleet = world.fleet("a", "b")) {
            String lineage = "killed." + fleet.name() + ".test";
            fleet.issueEverywhere(lineage);
            registerSilentNode(fleet);
            String challenge = "/acmejx/" + fleet.name() + "/challenges/" + lineage;
            // b waits for the lock before a dies: started after the kill, b could miss a lease as short as the
            // tests' 2 s on a busy machine and never wait at all.
            try (Background a = fleet.renew(fleet.node(0), lineage);
                    Background b = renewOnceAHolds(fleet, a, lineage)) {
                Eventually.holds("a published its challenge", TestFleet.PROPAGATION, () -> hasKey(challenge));
                b.awaitLine(line -> line.contains("waiting for node a, which holds the fleet's lock"),
                        Duration.ofSeconds(30));
                a.kill9();
                forgetSilentNode(fleet);
                Eventually.holds("the dead publisher's challenge goes with its lease", TestFleet.PROPAGATION,
                        () -> !hasKey(challenge));
                assertEquals(0, b.exitCode(Duration.ofMinutes(2)), b.output());
                assertTrue(b.output().contains(lineage + ": version 2 committed"),
                        "a committed nothing, so b's is the second version:\n" + b.output());
                assertTrue(b.output().contains("renewed   " + lineage), b.output());
                assertFalse(b.output().contains("registered account"), "the fleet's one account:\n" + b.output());
            }
            fleet.awaitEverywhere(lineage, Files.readAllBytes(fleet.node(1).live(lineage, "cert")));
        }
    }

    /**
     * Once when etcd goes out of reach and once when it is back, not once per retry: the lines alternate. Stopping
     * the members one after the other can make two outages, not one, when serve reaches the last member still up
     * between two stops; each is logged once all the same.
     */
    private static void assertEachOutageLoggedOnce(List<String> etcdLines) {
        List<Boolean> down = etcdLines.stream().map(line -> line.contains("etcd is unreachable")).toList();
        assertFalse(down.isEmpty() || !down.get(0) || down.get(down.size() - 1),
                "an outage, then etcd back:\n" + etcdLines);
        for (int i = 1; i < down.size(); i++) {
            assertFalse(down.get(i).equals(down.get(i - 1)), "logged once, not once per retry:\n" + etcdLines);
        }
    }

    /** What a node's serve has logged of etcd's reach, from its start. */
    private static List<String> etcdLines(FleetTestNode node) {
        return node.serve().linesMatching(line -> line.contains("etcd is"));
    }

    /** Starts a renewal on the second node once the one on the first holds the lock. */
    private static Background renewOnceAHolds(TestFleet fleet, Background a, String lineage)
            throws IOException, InterruptedException {
        a.awaitLine(line -> line.contains("holding the fleet's lock"), Duration.ofSeconds(30));
        return fleet.renew(fleet.node(1), lineage);
    }

    /**
     * A holder that stalls past its lease (SIGSTOP) while another node renews, and then goes on, changes nothing.
     * Depending on where it stopped, it sees the new version when it catches up, or etcd refuses its next write under
     * the expired lease, or the commit's check on the lock's revision refuses it. Without these it would overwrite the
     * newer version everywhere.
     */
    @Test
    void aHolderThatStalledPastItsLeaseCannotCommitOverTheNextHoldersVersion() throws Exception {
        try (TestFleet fleet = world.fleet("a", "b")) {
            String lineage = "fenced." + fleet.name() + ".test";
            fleet.issueEverywhere(lineage);
            registerSilentNode(fleet);
            try (Background a = fleet.renew(fleet.node(0), lineage)) {
                a.awaitLine(line -> line.contains("holding the fleet's lock"), Duration.ofSeconds(30));
                a.signal("STOP");
                String lock = "/acmejx/" + fleet.name() + "/locks/" + lineage;
                Eventually.holds("a's lease expires with it stopped", TestFleet.PROPAGATION, () -> !hasKey(lock));
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
            return world.etcd().dump().containsKey(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Test
    void anEtcdMemberKilledMidOrderChangesNothing() throws Exception {
        try (TestFleet fleet = world.fleet("a", "b")) {
            String lineage = "member." + fleet.name() + ".test";
            fleet.issueEverywhere(lineage);
            registerSilentNode(fleet);
            try (Background a = fleet.renew(fleet.node(0), lineage)) {
                a.awaitLine(line -> line.contains("holding the fleet's lock"), Duration.ofSeconds(30));
                world.etcd().kill(0);
                assertEquals(0, a.exitCode(Duration.ofMinutes(2)), a.output());
                assertTrue(a.output().contains("renewed   " + lineage), a.output());
            } finally {
                forgetSilentNode(fleet);
                world.etcd().restart(0);
            }
            fleet.awaitEverywhere(lineage, Files.readAllBytes(fleet.node(0).live(lineage, "cert")));
            assertFalse(fleet.node(1).serve().tail(400).contains("etcd is unreachable"),
                    "two members of three are no outage:\n" + fleet.node(1).serve().tail(40));
        }
    }

    @Test
    void withAllOfEtcdStoppedTrafficFlowsAndRenewFailsCleanlyThenTheFleetCatchesUp() throws Exception {
        try (TestFleet fleet = world.fleet("a", "b")) {
            String lineage = "outage." + fleet.name() + ".test";
            byte[] before = fleet.issueEverywhere(lineage);
            FleetTestNode a = fleet.node(0);
            try (WrkLoad load = WrkLoad.start(Nginx.SITE, a.loadPort)) {
                world.etcd().stopAll();
                try {
                    a.serve().awaitLine(line -> line.contains("etcd is unreachable"));
                    Command.Result renew = fleet.run(a, "renew", "--cert-name", lineage, "--force-renewal",
                            "--no-random-sleep-on-renew");
                    assertEquals(1, renew.exit(), renew.out() + renew.err());
                    assertTrue((renew.out() + renew.err()).contains("etcd is unreachable at " + world.etcd().endpoints()),
                            renew.out() + renew.err());
                    assertArrayEquals(before, Files.readAllBytes(a.live(lineage, "cert")), "live/ untouched");
                } finally {
                    world.etcd().startAll();
                }
                // Not the first "reachable again": serve can reach the last member still up between two stops.
                Eventually.holds("serve logs etcd back after the last outage line", Duration.ofSeconds(30), () -> {
                    List<String> lines = etcdLines(a);
                    return !lines.isEmpty() && !lines.get(lines.size() - 1).contains("etcd is unreachable");
                });
                WrkLoad.Report report = load.stop();
                assertTrue(report.requests() > 0, report.output());
                assertEquals(List.of(), report.errors(), "no client saw the outage:\n" + report.output());
            }
            assertEachOutageLoggedOnce(etcdLines(a));
            try (Background b = fleet.renew(fleet.node(1), lineage)) {
                assertEquals(0, b.exitCode(Duration.ofMinutes(2)), b.output());
            }
            fleet.awaitEverywhere(lineage, Files.readAllBytes(fleet.node(1).live(lineage, "cert")));
        }
    }
}
