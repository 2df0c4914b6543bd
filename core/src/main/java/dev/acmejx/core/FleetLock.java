package dev.acmejx.core;

import dev.acmejx.core.etcd.EtcdAwait;
import dev.acmejx.core.etcd.EtcdException;
import dev.acmejx.core.etcd.KeptLease;
import dev.acmejx.core.etcd.KeyValue;
import dev.acmejx.core.etcd.Txn;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A lineage's lock across the fleet: the key {@code locks/<name>}, created only if absent, under a lease this node
 * keeps alive. Its create revision is the fencing token {@link FleetVersions#commit} checks. A node that dies holds
 * it one lease TTL at most; a node that waits does so on a watch, not by polling.
 */
final class FleetLock implements LineageLock {

    private static final Logger LOG = System.getLogger("acmejx.fleet");
    private static final Duration MAX_WAIT = Duration.ofMinutes(15);

    private final ConfigDirLock local;
    private final KeptLease lease;
    private final long fence;

    private FleetLock(ConfigDirLock local, KeptLease lease, long fence) {
        this.local = local;
        this.lease = lease;
        this.fence = fence;
    }

    /** Takes the config dir's lock, then the fleet's; releases the first when the second cannot be had. */
    static FleetLock acquire(Fleet fleet, Lineage lineage) throws AcmejxException, InterruptedException {
        ConfigDirLock local = ConfigDirLock.await(lineage.configDir());
        try {
            KeptLease lease = KeptLease.grant(fleet.client(), fleet.settings().leaseTtl(), fleet.outage(),
                    id -> LOG.log(Level.WARNING, "{0}: the lease of this node''s lock expired (etcd out of reach for "
                            + "longer than its TTL?); the new version will not be committed", lineage.name()));
            try {
                return new FleetLock(local, lease, take(fleet, lineage.name(), lease.id()));
            } catch (AcmejxException | InterruptedException | RuntimeException e) {
                lease.close();
                throw e;
            }
        } catch (AcmejxException | InterruptedException | RuntimeException e) {
            closeQuietly(local);
            throw e;
        }
    }

    /** @return the fencing token: the revision at which this node created the lock key */
    private static long take(Fleet fleet, String name, long lease) throws AcmejxException, InterruptedException {
        String key = fleet.keys().lock(name);
        byte[] holder = fleet.node().getBytes(StandardCharsets.UTF_8);
        Instant deadline = Instant.now().plus(MAX_WAIT);
        boolean announced = false;
        while (Instant.now().isBefore(deadline)) {
            Txn.Result result = fleet.client().commit(new Txn().whenCreated(key, 0).thenPut(key, holder, lease)
                    .otherwiseGet(key));
            if (result.succeeded()) {
                LOG.log(Level.INFO, "{0}: holding the fleet''s lock (fence {1})", name, String.valueOf(result.revision()));
                return result.revision();
            }
            List<KeyValue> held = result.ranges().isEmpty() ? List.of() : result.ranges().get(0);
            if (!held.isEmpty() && !announced) {
                LOG.log(Level.INFO, "{0}: waiting for node {1}, which holds the fleet''s lock", name, held.get(0).text());
                announced = true;
            }
            EtcdAwait.until(fleet.client(), key, keys -> !keys.contains(key), Duration.between(Instant.now(), deadline));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        throw new EtcdException(name + ": the fleet's lock " + key + " was held for over " + MAX_WAIT.toMinutes()
                + " minutes; `acmejx fleet status` shows by whom");
    }

    /**
     * Also holds the lock named {@code name}, under the same lease, until this one is released; the fencing token
     * stays this lineage's.
     */
    void alsoHold(Fleet fleet, String name) throws AcmejxException, InterruptedException {
        take(fleet, name, lease.id());
    }

    @Override
    public long fence() {
        return fence;
    }

    @Override
    public void close() throws IOException {
        lease.close();
        local.close();
    }

    private static void closeQuietly(ConfigDirLock lock) {
        try {
            lock.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "releasing the config dir lock: {0}", e.getMessage());
        }
    }
}
