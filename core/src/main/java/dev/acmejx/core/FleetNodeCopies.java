package dev.acmejx.core;

import dev.acmejx.core.etcd.EtcdException;
import dev.acmejx.core.etcd.EtcdOutage;
import dev.acmejx.core.etcd.EtcdWatch;
import dev.acmejx.core.etcd.KeyValue;
import dev.acmejx.core.etcd.WatchEvent;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows {@code lineages/} and writes each new version into this node's config dir, on one thread of its own so
 * that a slow deploy hook delays no watch. When a run on this node holds the config dir's lock (a renew), the copy
 * waits and tries again: that run brings the lineage up to date itself. So does a copy that etcd's absence
 * interrupted, once a second, until etcd is back.
 */
final class FleetNodeCopies implements EtcdWatch.Listener, AutoCloseable {

    private static final Logger LOG = System.getLogger("acmejx.fleet");
    private static final long RETRY_MILLIS = 1_000;

    private final FleetCopy copy;
    private final FleetKeys keys;
    private final EtcdOutage outage;
    private final Path configDir;
    private final Runnable changed;
    private final Map<String, Integer> versions = new TreeMap<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "fleet-copies");
        thread.setDaemon(true);
        return thread;
    });

    /** @param changed told after a copy moved to a new version, to update the node's record */
    FleetNodeCopies(FleetCopy copy, Fleet fleet, Path configDir, Runnable changed) {
        this.copy = copy;
        this.keys = fleet.keys();
        this.outage = fleet.outage();
        this.configDir = configDir;
        this.changed = changed;
    }

    @Override
    public void reset(List<KeyValue> all) {
        all.forEach(this::changed);
    }

    @Override
    public void changed(WatchEvent event) {
        if (!event.deleted()) {
            changed(event.kv());
        }
    }

    private void changed(KeyValue kv) {
        keys.lineageOfCurrent(kv.key()).ifPresent(name -> worker.execute(() -> catchUp(name)));
    }

    private void catchUp(String name) {
        Optional<Integer> version;
        try (ConfigDirLock lock = ConfigDirLock.acquire(configDir)) {
            version = copy.catchUp(name);
        } catch (ConfigDirLock.Busy e) {
            worker.schedule(() -> catchUp(name), RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        } catch (EtcdException e) {
            outage.down(e);
            worker.schedule(() -> catchUp(name), RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        } catch (AcmejxException e) {
            LOG.log(Level.WARNING, "{0}: cannot bring this node up to the fleet''s version: {1}", name,
                    e.getMessage());
            return;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}: cannot write the fleet''s version into {1}: {2}", name, configDir,
                    e.getMessage());
            return;
        }
        if (version.isPresent()) {
            synchronized (versions) {
                versions.put(name, version.get());
            }
            changed.run();
        }
    }

    Map<String, Integer> versions() {
        synchronized (versions) {
            return Map.copyOf(versions);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
