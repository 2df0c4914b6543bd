package dev.acmejx.it;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A real etcd cluster of a few members on loopback, for the tests of a fleet that shares its state through etcd:
 * every member on free ports with its own data dir and log in one temp dir, the cluster under a token of its own
 * so that it can never join another. A test kills, stops and restarts members to see what a fleet does when etcd
 * fails; {@link #close} stops every process it started, by its PID, and removes the temp dir.
 */
final class EtcdCluster implements AutoCloseable {

    /** How long the members have to become healthy: a first start and a restart take under a second each. */
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);
    /** How long a member has to exit after SIGTERM before it gets SIGKILL. */
    private static final Duration STOP_WITHIN = Duration.ofSeconds(10);
    /**
     * How long a member may take to see a stopped peer go before it is stopped anyway: etcd sees it within some
     * tens of milliseconds; past that, a stop can only be slower, never fail.
     */
    private static final Duration PEERS_SEEN_WITHIN = Duration.ofSeconds(2);
    /** Between two checks of what etcd reports; bounds only how late a change is seen, never whether. */
    private static final Duration POLL = Duration.ofMillis(20);

    /** The temp dir with every member's data dir and log. */
    final Path dir;
    /** Whether clients speak https to the members (see {@link #startHttps}). */
    private final boolean https;
    private final List<EtcdMember> members;
    /** The members that should run: started, and not stopped or killed since; what {@link #awaitHealthy} checks. */
    private final Set<EtcdMember> up = new LinkedHashSet<>();
    /** What every member's command line has in common: the initial cluster, its token, the caller's flags. */
    private final List<String> shared;
    /**
     * SIGKILL to every member when the JVM exits before {@link #close}, as it does when failsafe gives up on a
     * test: etcd would otherwise run on as an orphan, holding its ports.
     */
    private final Thread killer;

    private EtcdCluster(Path dir, boolean https, List<EtcdMember> members, List<String> flags) {
        this.dir = dir;
        this.https = https;
        this.members = members;
        String initialCluster = members.stream().map(member -> member.name + "=" + member.peerUrl())
                .collect(Collectors.joining(","));
        List<String> common = new ArrayList<>(List.of("--initial-cluster", initialCluster,
                "--initial-cluster-token", "acmejx-it-" + UUID.randomUUID()));
        common.addAll(flags);
        this.shared = List.copyOf(common);
        this.killer = new Thread(() -> members.forEach(EtcdMember::kill), "etcd-killer");
    }

    /**
     * Starts {@code members} new members and returns once each of them is healthy.
     *
     * @param flags more etcd flags for every member, e.g. {@code --auto-compaction-retention 1}
     * @throws AssertionError when a member exits or the cluster is not healthy in time, with the failing members'
     *     logs; what was started is stopped again and the temp dir removed
     */
    static EtcdCluster start(int members, String... flags) throws IOException {
        return start(false, members, flags);
    }

    /**
     * As {@link #start}, with https client URLs: for a test of TLS between acmejx and etcd. The harness checks
     * health and peers on each member's plain-http metrics URL instead ({@link EtcdMember#monitorUrl}), so it
     * needs no client certificate; {@link #put}, {@link #delete} and {@link #dump} speak plain http and refuse
     * such a cluster, whose keys a test writes with etcdctl and the TLS files.
     *
     * @param flags at least {@code --cert-file} and {@code --key-file}; for client certificates also
     *     {@code --trusted-ca-file} and {@code --client-cert-auth}
     */
    static EtcdCluster startHttps(int members, String... flags) throws IOException {
        return start(true, members, flags);
    }

    private static EtcdCluster start(boolean https, int members, String... flags) throws IOException {
        Path dir = Files.createTempDirectory("acmejx-etcd");
        List<EtcdMember> all = IntStream.range(0, members).mapToObj(i -> new EtcdMember("m" + i, dir, https))
                .toList();
        EtcdCluster cluster = new EtcdCluster(dir, https, all, List.of(flags));
        try {
            Runtime.getRuntime().addShutdownHook(cluster.killer);
            all.forEach(member -> cluster.launch(member, "new"));
            cluster.awaitHealthy();
            return cluster;
        } catch (Throwable e) {
            // Whatever failed, an Error included: what started must not outlive the test.
            try {
                cluster.close();
            } catch (Throwable notClosed) {
                e.addSuppressed(notClosed);
            }
            throw e;
        }
    }

    /** Each member's client URL, in member order, whether it runs or not. */
    List<URI> clientUrls() {
        return members.stream().map(EtcdMember::clientUrl).toList();
    }

    URI clientUrl(int member) {
        return members.get(member).clientUrl();
    }

    /** The log of {@code member}, every run's: what a test reads for why etcd refused a client. */
    Path log(int member) {
        return members.get(member).log;
    }

    /** Every member's client URL, comma-separated, as etcdctl's {@code --endpoints} and acmejx's {@code --etcd}. */
    String endpoints() {
        return clientUrls().stream().map(URI::toString).collect(Collectors.joining(","));
    }

    /**
     * SIGKILL to {@code member}, and until it has exited. Returns before the others have noticed: a killed leader
     * leaves them without one for up to an election timeout, which a test of failover may want to see; one that
     * does not calls {@link #awaitHealthy}.
     */
    void kill(int member) {
        EtcdMember killed = members.get(member);
        up.remove(killed);
        killed.kill();
    }

    /** SIGTERM to {@code member}, and until it has exited. */
    void stop(int member) {
        EtcdMember stopping = members.get(member);
        up.remove(stopping);
        if (!stopInTurn(stopping)) {
            throw new AssertionError(stopping + " did not exit within " + STOP_WITHIN + " of SIGTERM; killed it:\n"
                    + stopping.logTail());
        }
    }

    /** Starts a stopped or killed {@code member} again on its data dir, and until every running member is healthy. */
    void restart(int member) {
        launch(members.get(member), "existing");
        awaitHealthy();
    }

    /** SIGTERM to every running member, one after the other as {@link #stopInTurn} explains, until all have exited. */
    void stopAll() {
        up.clear();
        List<EtcdMember> killed = members.stream().filter(member -> !stopInTurn(member)).toList();
        if (!killed.isEmpty()) {
            throw new AssertionError(killed + " did not exit within " + STOP_WITHIN + " of SIGTERM; killed them");
        }
    }

    /** After {@link #stopAll}: starts every member again on its data dir, and until all are healthy. */
    void startAll() {
        members.stream().filter(member -> !member.running()).forEach(member -> launch(member, "existing"));
        awaitHealthy();
    }

    /**
     * SIGTERM to {@code member} once it has seen every member stopped before it go, and until it has exited; SIGKILL
     * after {@link #STOP_WITHIN}. A leader's SIGTERM hands leadership to the peer connected longest, and a peer
     * that exited a few milliseconds ago can still count as connected: handed to that one, the leader waits etcd's
     * whole request timeout (six seconds here) before it exits. Once the leader has seen them go, it hands over to
     * a live member, or, the last one left, exits at once.
     *
     * @return whether it exited by itself
     */
    private boolean stopInTurn(EtcdMember member) {
        if (!member.running()) {
            return true;
        }
        long others = members.stream().filter(other -> other != member && other.running()).count();
        long deadline = System.nanoTime() + PEERS_SEEN_WITHIN.toNanos();
        while (activePeers(member) != others && System.nanoTime() < deadline
                && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(POLL.toNanos());
        }
        return member.stop(STOP_WITHIN);
    }

    private static int activePeers(EtcdMember member) {
        try {
            return EtcdGateway.activePeers(member.monitorUrl());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void launch(EtcdMember member, String state) {
        member.start(shared, state);
        up.add(member);
    }

    /**
     * Until every member started and not stopped or killed since answers {@code /health} with true in the same
     * round, within a deadline.
     *
     * @throws AssertionError at once when one of them has exited, else at the deadline; with the logs of the
     *     members at fault
     */
    void awaitHealthy() {
        long deadline = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        while (true) {
            List<EtcdMember> unhealthy = up.stream().filter(member -> !healthy(member)).toList();
            List<EtcdMember> exited = up.stream().filter(member -> !member.running()).toList();
            if (!exited.isEmpty()) {
                throw new AssertionError("etcd exited: " + logs(exited));
            }
            if (unhealthy.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("etcd not healthy within " + HEALTHY_WITHIN + ": " + logs(unhealthy));
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    private static boolean healthy(EtcdMember member) {
        try {
            return EtcdGateway.healthy(member.monitorUrl());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + member + " to be healthy", e);
        }
    }

    private static String logs(List<EtcdMember> faulty) {
        return faulty.stream().map(member -> member + ", " + member.log + " ends:\n" + member.logTail())
                .collect(Collectors.joining("\n\n"));
    }

    /**
     * Every key in the keyspace and its value, read through the first running member: what a test searches for
     * what must never be stored, such as a private key.
     */
    Map<String, byte[]> dump() throws IOException, InterruptedException {
        return EtcdGateway.all(anyRunning());
    }

    /** Puts {@code key} with {@code value} in UTF-8, through the first running member: an entry a test plants. */
    void put(String key, String value) throws IOException, InterruptedException {
        EtcdGateway.put(anyRunning(), key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes {@code key}, if there, through the first running member. */
    void delete(String key) throws IOException, InterruptedException {
        EtcdGateway.delete(anyRunning(), key);
    }

    private URI anyRunning() {
        if (https) {
            throw new IllegalStateException("put, delete and dump speak plain http: on an https cluster, use etcdctl "
                    + "with the TLS files");
        }
        return members.stream().filter(EtcdMember::running).findFirst().map(EtcdMember::clientUrl)
                .orElseThrow(() -> new IllegalStateException("no etcd member runs"));
    }

    /** Every PID any member has run as, restarts included, for a test that none is left running. */
    List<Long> pids() {
        return members.stream().flatMap(member -> member.pids().stream()).toList();
    }

    /**
     * SIGTERM to every member still running, one after the other as {@link #stopAll} does, and SIGKILL to one that
     * has not exited after a deadline; then the temp dir. Interrupted, it kills each member that is left instead.
     */
    @Override
    public void close() {
        up.clear();
        AssertionError interrupted = null;
        for (EtcdMember member : members) {
            try {
                stopInTurn(member);
            } catch (AssertionError e) {
                interrupted = e;
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs or has run already: nothing is left for it to kill.
        }
        TempDirs.delete(dir);
        if (interrupted != null) {
            throw interrupted;
        }
    }
}
