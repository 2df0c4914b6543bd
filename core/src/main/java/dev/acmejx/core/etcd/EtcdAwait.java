package dev.acmejx.core.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Waits, on a watch rather than by polling, until the keys under a prefix are as wanted: a lock key gone, or every
 * node's acknowledgement there. The set is read once, then kept up to date from the very next revision, so no
 * change between the read and the watch is missed.
 */
public final class EtcdAwait {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "etcd-await-timer");
        thread.setDaemon(true);
        return thread;
    });

    private EtcdAwait() {
    }

    /** @return true when {@code done} held before {@code timeout} ran out */
    public static boolean until(EtcdClient client, String prefix, Predicate<Set<String>> done, Duration timeout)
            throws EtcdException {
        EtcdClient.Snapshot snapshot = client.prefix(prefix);
        Set<String> keys = new HashSet<>();
        snapshot.kvs().forEach(kv -> keys.add(kv.key()));
        if (done.test(keys)) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Stream<String> lines = client.watchStream(prefix, snapshot.revision() + 1)) {
            var closer = TIMER.schedule(lines::close, timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                Iterator<String> it = lines.iterator();
                while (System.nanoTime() < deadline && it.hasNext()) {
                    apply(EtcdClient.JSON.readTree(it.next()).path("result"), keys);
                    if (done.test(keys)) {
                        return true;
                    }
                }
            } finally {
                closer.cancel(false);
            }
        } catch (IOException | UncheckedIOException e) {
            if (System.nanoTime() < deadline) {
                throw new EtcdException("etcd closed a watch on " + prefix + " at " + client.settings().describe()
                        + ": " + e.getMessage(), e);
            }
        }
        return false;
    }

    private static void apply(JsonNode result, Set<String> keys) {
        for (JsonNode event : result.path("events")) {
            String key = EtcdJson.keyValue(event.path("kv")).key();
            if ("DELETE".equals(event.path("type").asText())) {
                keys.remove(key);
            } else {
                keys.add(key);
            }
        }
    }
}
