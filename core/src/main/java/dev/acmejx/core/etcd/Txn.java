package dev.acmejx.core.etcd;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An etcd transaction: if every comparison holds, the {@code then} operations run, else the {@code otherwise}
 * ones, all at one revision. Built as the gateway's JSON ({@code /v3/kv/txn}), so nothing is encoded twice.
 */
public final class Txn {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode body = NODES.objectNode();
    private final ArrayNode compare = body.putArray("compare");
    private final ArrayNode success = body.putArray("success");
    private final ArrayNode failure = body.putArray("failure");

    /** The outcome; {@code ranges} holds what the range operations of the branch that ran returned, in order. */
    public record Result(boolean succeeded, long revision, List<List<KeyValue>> ranges) {
    }

    /** Holds when {@code key}'s create revision is {@code revision}; 0 means the key does not exist. */
    public Txn whenCreated(String key, long revision) {
        compare.addObject().put("key", EtcdJson.encode(key)).put("target", "CREATE").put("result", "EQUAL")
                .put("create_revision", Long.toString(revision));
        return this;
    }

    /** Holds when {@code key} was last written at {@code revision}; 0 means the key does not exist. */
    public Txn whenModified(String key, long revision) {
        compare.addObject().put("key", EtcdJson.encode(key)).put("target", "MOD").put("result", "EQUAL")
                .put("mod_revision", Long.toString(revision));
        return this;
    }

    public Txn thenPut(String key, byte[] value, long lease) {
        success.add(put(key, value, lease));
        return this;
    }

    public Txn thenDelete(String key) {
        success.add(delete(key));
        return this;
    }

    public Txn otherwiseGet(String key) {
        failure.addObject().putObject("request_range").put("key", EtcdJson.encode(key));
        return this;
    }

    ObjectNode body() {
        return body;
    }

    private static ObjectNode put(String key, byte[] value, long lease) {
        ObjectNode op = NODES.objectNode();
        ObjectNode put = op.putObject("request_put").put("key", EtcdJson.encode(key)).put("value",
                EtcdJson.encode(value));
        if (lease != 0) {
            put.put("lease", Long.toString(lease));
        }
        return op;
    }

    private static ObjectNode delete(String key) {
        ObjectNode op = NODES.objectNode();
        op.putObject("request_delete_range").put("key", EtcdJson.encode(key));
        return op;
    }
}
