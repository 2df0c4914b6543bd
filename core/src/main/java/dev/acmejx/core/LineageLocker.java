package dev.acmejx.core;

/**
 * Hands out {@link LineageLock}s, as CertMagic's {@code Locker} does for its storage: one holder per lineage across
 * every process that shares the store, for the whole of a decision, an order and its commit.
 */
@FunctionalInterface
public interface LineageLocker {

    /** The config dir's own lock ({@link ConfigDirLock}): one acmejx at a time per config dir. */
    LineageLocker LOCAL = lineage -> ConfigDirLock.acquire(lineage.configDir());

    /**
     * Blocks until this process alone may change {@code lineage}, or fails saying who holds it.
     *
     * @throws AcmejxException when the lock cannot be had; nothing was changed
     */
    LineageLock lock(Lineage lineage) throws AcmejxException, InterruptedException;
}
