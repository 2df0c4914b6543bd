package dev.acmejx.core.etcd;

import java.time.Duration;

/**
 * A lease kept alive by a thread of its own, a third of its TTL apart, for as long as the process holds it: the
 * keys under it live as long as this process does, and expire one TTL after it dies, even by {@code kill -9}.
 */
public final class KeptLease implements AutoCloseable {

    /** Told on the lease's thread when etcd no longer knows the lease: its keys are gone. */
    @FunctionalInterface
    public interface Lost {
        void lost(long lease);
    }

    private final EtcdClient client;
    private final long id;
    private final Duration ttl;
    private final Thread thread;
    private volatile boolean closed;

    private KeptLease(EtcdClient client, long id, Duration ttl, EtcdOutage outage, Lost lost) {
        this.client = client;
        this.id = id;
        this.ttl = ttl;
        this.thread = new Thread(() -> keep(outage, lost), "etcd-lease " + Long.toHexString(id));
        thread.setDaemon(true);
    }

    public static KeptLease grant(EtcdClient client, Duration ttl, EtcdOutage outage, Lost lost)
            throws EtcdException {
        KeptLease lease = new KeptLease(client, client.grant(ttl), ttl, outage, lost);
        lease.thread.start();
        return lease;
    }

    public long id() {
        return id;
    }

    private void keep(EtcdOutage outage, Lost lost) {
        long interval = Math.max(100, ttl.toMillis() / 3);
        while (!closed) {
            try {
                Thread.sleep(interval);
                if (!client.keepAlive(id)) {
                    if (!closed) {
                        lost.lost(id);
                    }
                    return;
                }
                outage.up();
            } catch (EtcdException e) {
                outage.down(e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops the keep-alives and revokes the lease, so its keys go now rather than one TTL later. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            client.revoke(id);
        } catch (EtcdException e) {
            System.getLogger("acmejx.fleet").log(System.Logger.Level.DEBUG, "lease {0} not revoked ({1}); it "
                    + "expires on its own", Long.toHexString(id), e.getMessage());
        }
    }
}
