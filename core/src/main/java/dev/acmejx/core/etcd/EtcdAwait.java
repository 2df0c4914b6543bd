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
public final class EtcdAwait implements AutoCloseable {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "etcd-await-timer");
        thread.setDaemon(true);
        return thread;
    });

    private final Stream<String> lines;
    private final Iterator<String> it;
    private final Set<String> keys = new HashSet<>();

    private EtcdAwait(Stream<String> lines) {
        this.lines = lines;
        this.it = lines.iterator();
    }

    /**
     * A watch on {@code prefix} from now on, open when this returns, for a caller about to make the change it then
     * waits for (a challenge put, then every node's acknowledgement). etcd hands such a watch each event as it is
     * committed; one created on a past revision is caught up in etcd's sync loop instead, up to 100 ms later.
     */
    public static EtcdAwait from(EtcdClient client, String prefix) throws EtcdException {
        Stream<String> lines = client.watchStream(prefix, 0);
        EtcdAwait await = new EtcdAwait(lines);
        if (!await.it.hasNext()) {
            lines.close();
            throw new EtcdException("etcd closed a new watch on " + prefix + " at " + client.settings().describe());
        }
        await.it.next();
        return await;
    }

    /** @return true when {@code done} held, for the keys put since {@link #from}, before {@code timeout} ran out */
    public boolean until(Predicate<Set<String>> done, Duration timeout) throws EtcdException {
        if (done.test(keys)) {
            return true;
        }
        return follow(lines, it, keys, done, timeout, "a watch");
    }

    @Override
    public void close() {
        lines.close();
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
        try (Stream<String> lines = client.watchStream(prefix, snapshot.revision() + 1)) {
            return follow(lines, lines.iterator(), keys, done, timeout, prefix);
        }
    }

    private static boolean follow(Stream<String> lines, Iterator<String> it, Set<String> keys,
            Predicate<Set<String>> done, Duration timeout, String what) throws EtcdException {
        long deadline = System.nanoTime() + timeout.toNanos();
        var closer = TIMER.schedule(lines::close, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            while (System.nanoTime() < deadline && it.hasNext()) {
                apply(EtcdClient.JSON.readTree(it.next()).path("result"), keys);
                if (done.test(keys)) {
                    return true;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            if (System.nanoTime() < deadline) {
                throw new EtcdException("etcd broke off " + what + ": " + e.getMessage(), e);
            }
        } finally {
            closer.cancel(false);
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
