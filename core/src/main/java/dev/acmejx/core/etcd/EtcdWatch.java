package dev.acmejx.core.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Follows every key under a prefix, on a thread of its own: first the whole prefix, then each change. After a lost
 * connection it resumes from the last revision it saw, so nothing is missed or seen twice; when etcd compacted that
 * revision away it reads the whole prefix again. etcd being down never blocks the caller.
 */
public final class EtcdWatch implements AutoCloseable {

    private static final Logger LOG = System.getLogger("acmejx.fleet");

    /** Told what the prefix holds; called on the watch's own thread, one call at a time. */
    public interface Listener {

        /** Everything under the prefix now: at start, and again after a compaction made a resume impossible. */
        void reset(List<KeyValue> all);

        void changed(WatchEvent event);
    }

    private final EtcdClient client;
    private final String prefix;
    private final Listener listener;
    private final EtcdOutage outage;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Stream<String> stream;

    private EtcdWatch(EtcdClient client, String prefix, Listener listener, EtcdOutage outage) {
        this.client = client;
        this.prefix = prefix;
        this.listener = listener;
        this.outage = outage;
        this.thread = new Thread(this::run, "etcd-watch " + prefix);
        thread.setDaemon(true);
    }

    public static EtcdWatch start(EtcdClient client, String prefix, Listener listener, EtcdOutage outage) {
        EtcdWatch watch = new EtcdWatch(client, prefix, listener, outage);
        watch.thread.start();
        return watch;
    }

    private void run() {
        Backoff backoff = new Backoff();
        long next = 0;
        while (!closed) {
            try {
                if (next == 0) {
                    EtcdClient.Snapshot snapshot = client.prefix(prefix);
                    outage.up();
                    listener.reset(snapshot.kvs());
                    next = snapshot.revision() + 1;
                }
                next = follow(next, backoff);
            } catch (EtcdException | UncheckedIOException e) {
                if (!closed) {
                    outage.down(e);
                    backoff.pause();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "watching " + prefix + " failed; starting over from a full read", e);
                next = 0;
                backoff.pause();
            }
        }
    }

    /** Reads one watch stream to its end. @return the revision to resume from, 0 to read everything again */
    private long follow(long from, Backoff backoff) throws EtcdException {
        long next = from;
        try (Stream<String> lines = client.watchStream(prefix, from)) {
            stream = lines;
            Iterator<String> it = lines.iterator();
            while (it.hasNext() && !closed) {
                JsonNode result = parse(it.next()).path("result");
                if (EtcdJson.number(result, "compact_revision") > 0 || result.path("canceled").asBoolean()) {
                    return 0;
                }
                outage.up();
                backoff.reset();
                for (JsonNode event : result.path("events")) {
                    KeyValue kv = EtcdJson.keyValue(event.path("kv"));
                    listener.changed(new WatchEvent(kv, "DELETE".equals(event.path("type").asText())));
                    next = kv.modRevision() + 1;
                }
            }
        }
        if (!closed) {
            throw new EtcdException("etcd closed the watch on " + prefix);
        }
        return next;
    }

    private static JsonNode parse(String line) {
        try {
            return EtcdClient.JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        Stream<String> current = stream;
        if (current != null) {
            current.close();
        }
        thread.interrupt();
    }
}
