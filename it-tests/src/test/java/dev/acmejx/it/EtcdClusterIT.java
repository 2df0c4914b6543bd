package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The etcd harness itself, before any fleet test relies on it: the three members are one cluster, it survives the
 * loss of one, a restarted member and a restarted cluster have the data, and nothing it started outlives it.
 */
class EtcdClusterIT {

    @Test
    void aPutThroughOneMemberIsReadThroughTheOthers() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(3)) {
            EtcdGateway.put(cluster.clientUrl(0), "/it/a", bytes("one"));
            for (int member : List.of(1, 2)) {
                assertEquals("one", text(cluster.clientUrl(member), "/it/a"), "through member " + member);
            }
            assertEquals(3, cluster.clientUrls().size());
            assertEquals(String.join(",", cluster.clientUrls().stream().map(URI::toString).toList()),
                    cluster.endpoints());
            assertTrue(cluster.endpoints().matches("(http://127\\.0\\.0\\.1:\\d+,){2}http://127\\.0\\.0\\.1:\\d+"),
                    cluster.endpoints());
        }
    }

    @Test
    void twoMembersServeWhileOneIsKilledOrStoppedAndItComesBackWithWhatItMissed() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(3)) {
            EtcdGateway.put(cluster.clientUrl(2), "/it/before", bytes("before"));
            long survivor = cluster.pids().get(2);
            cluster.kill(0);
            assertFalse(alive(cluster.pids().get(0)), "kill waits for the exit");
            cluster.awaitHealthy();

            EtcdGateway.put(cluster.clientUrl(1), "/it/during", bytes("during"));
            assertEquals("during", text(cluster.clientUrl(2), "/it/during"));
            assertEquals("before", text(cluster.clientUrl(1), "/it/before"));
            assertTrue(alive(survivor), "the others keep running");

            cluster.restart(0);
            assertEquals("during", text(cluster.clientUrl(0), "/it/during"), "what it missed while down");
            assertEquals("before", text(cluster.clientUrl(0), "/it/before"));
            assertEquals(4, cluster.pids().size(), "a new process for the restart");

            cluster.stop(1);
            EtcdGateway.put(cluster.clientUrl(0), "/it/stopped", bytes("stopped"));
            cluster.restart(1);
            assertEquals("stopped", text(cluster.clientUrl(1), "/it/stopped"));
        }
    }

    @Test
    void stoppingAllAndStartingAllKeepsTheKeyspace() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(3)) {
            cluster.put("/it/x", "x");
            EtcdGateway.put(cluster.clientUrl(1), "/it/y", new byte[] {0, -1, 10});
            cluster.put("/it/z", "z");
            cluster.delete("/it/z");
            List<Long> first = cluster.pids();

            cluster.stopAll();
            assertTrue(first.stream().noneMatch(EtcdClusterIT::alive), first.toString());
            cluster.startAll();

            Map<String, byte[]> dump = cluster.dump();
            assertEquals(List.of("/it/x", "/it/y"), List.copyOf(dump.keySet()));
            assertArrayEquals(bytes("x"), dump.get("/it/x"));
            assertArrayEquals(new byte[] {0, -1, 10}, dump.get("/it/y"));
            assertEquals("x", text(cluster.clientUrl(2), "/it/x"));
        }
    }

    @Test
    void closeLeavesNoneOfItsProcessesAndNoneOfItsFiles() throws Exception {
        EtcdCluster cluster = EtcdCluster.start(3);
        List<Long> pids;
        try {
            cluster.kill(1);
            cluster.restart(1);
            pids = cluster.pids();
            assertEquals(4, pids.size(), pids.toString());
        } finally {
            cluster.close();
        }
        assertTrue(pids.stream().noneMatch(EtcdClusterIT::alive), pids.toString());
        assertFalse(Files.exists(cluster.dir), cluster.dir.toString());
    }

    /** etcd rejects an election timeout under five heartbeats: every member exits at once, saying why. */
    @Test
    void aMemberThatCannotStartFailsTheStartWithItsLogAndLeavesNothingBehind() {
        AssertionError failed = assertThrows(AssertionError.class,
                () -> EtcdCluster.start(3, "--election-timeout", "10"));
        String message = failed.getMessage();
        assertTrue(message.contains("etcd exited") && message.contains("exit 1")
                && message.contains("should be at least as 5 times as --heartbeat-interval"), message);
        assertTrue(ProcessHandle.current().children().noneMatch(child -> child.info().command()
                .map(command -> command.endsWith("/etcd")).orElse(false)), "an etcd child left running");
        Matcher log = Pattern.compile("(/\\S+)/m\\d+\\.log ends:").matcher(message);
        assertTrue(log.find(), message);
        assertFalse(Files.exists(Path.of(log.group(1))), log.group(1) + " left behind");
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String text(URI member, String key) throws Exception {
        return new String(EtcdGateway.get(member, key).orElseThrow(() -> new AssertionError(key + " is missing at "
                + member)), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
