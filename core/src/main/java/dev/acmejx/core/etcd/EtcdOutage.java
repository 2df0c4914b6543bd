package dev.acmejx.core.etcd;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Whether etcd is reachable, as every watch and lease of one process sees it: the change is logged once each way,
 * never once per retry, so an hour's outage is two lines however often the backoff tries again.
 */
public final class EtcdOutage {

    private static final Logger LOG = System.getLogger("acmejx.fleet");

    private final String endpoints;
    private boolean down;

    public EtcdOutage(EtcdSettings settings) {
        this.endpoints = settings.describe();
    }

    /**
     * A request failed for want of etcd; the first such failure after being up is logged.
     *
     * @param cause its message says what failed and names etcd's endpoints
     */
    public synchronized void down(Exception cause) {
        if (!down) {
            down = true;
            LOG.log(Level.WARNING, "{0}; forwarding and local challenges go on, retrying with backoff",
                    cause.getMessage());
        }
    }

    /** A request succeeded; the first after an outage is logged. */
    public synchronized void up() {
        if (down) {
            down = false;
            LOG.log(Level.INFO, "etcd is reachable again at {0}; catching up", endpoints);
        }
    }
}
