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
    /** The revision to watch from; 0: read the whole prefix first. Only the watch's thread touches it. */
    private long next;

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
        while (!closed) {
            try {
                if (next == 0) {
                    EtcdClient.Snapshot snapshot = client.prefix(prefix);
                    outage.up();
                    listener.reset(snapshot.kvs());
                    next = snapshot.revision() + 1;
                }
                if (!follow(backoff)) {
                    backoff.pause();
                }
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

    /**
     * Reads one watch stream to its end (a member that stops ends it, or breaks it off), moving {@link #next} past
     * each event as it
     * is handed on, so a resume neither misses nor repeats one.
     *
     * @return whether the stream brought anything; a stream that ends at once is retried after a pause
     */
    private boolean follow(Backoff backoff) throws EtcdException {
        boolean heard = false;
        try (Stream<String> lines = client.watchStream(prefix, next)) {
            stream = lines;
            Iterator<String> it = lines.iterator();
            while (it.hasNext() && !closed) {
                JsonNode message = parse(it.next());
                if (message.has("error")) {
                    LOG.log(Level.DEBUG, "the watch on {0} ended: {1}", prefix, message.path("error"));
                    break;
                }
                JsonNode result = message.path("result");
                if (EtcdJson.number(result, "compact_revision") > 0 || result.path("canceled").asBoolean()) {
                    next = 0;
                    return true;
                }
                heard = true;
                outage.up();
                backoff.reset();
                for (JsonNode event : result.path("events")) {
                    KeyValue kv = EtcdJson.keyValue(event.path("kv"));
                    listener.changed(new WatchEvent(kv, "DELETE".equals(event.path("type").asText())));
                    next = kv.modRevision() + 1;
                }
            }
        } catch (UncheckedIOException e) {
            LOG.log(Level.DEBUG, "the watch on {0} broke off ({1}); resuming from revision {2}", prefix,
                    e.getMessage(), String.valueOf(next));
        }
        return heard;
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
