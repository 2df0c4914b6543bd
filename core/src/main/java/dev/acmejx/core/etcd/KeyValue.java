package dev.acmejx.core.etcd;

import java.nio.charset.StandardCharsets;

/**
 * One key as etcd holds it.
 *
 * @param createRevision the revision that created this incarnation of the key: a lock's fencing token
 * @param lease 0 when the key lives on without a lease
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long lease) {

    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }
}
