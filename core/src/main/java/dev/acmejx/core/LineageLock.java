package dev.acmejx.core;

import java.io.IOException;

/**
 * The right to change one lineage, from {@link LineageLocker#lock}. Whoever holds it is the only writer among every
 * process that shares the store, for as long as it is held; a process that dies releases it (the kernel does, for a
 * file lock; a lease TTL does, for etcd).
 */
public interface LineageLock extends AutoCloseable {

    /**
     * The fencing token: it grows with every acquisition, so a store can refuse a write from a holder whose lock
     * expired while it worked. 0 for a lock that cannot be lost while its process lives.
     */
    long fence();

    /** Releases the lock; idempotent. */
    @Override
    void close() throws IOException;
}
