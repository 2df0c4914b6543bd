package dev.acmejx.core.etcd;

/**
 * One change a watch saw.
 *
 * @param deleted true when the key went (deleted, or its lease expired); {@code kv} then has the key only
 */
public record WatchEvent(KeyValue kv, boolean deleted) {
}
