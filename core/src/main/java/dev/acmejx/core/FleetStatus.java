package dev.acmejx.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acmejx.core.etcd.EtcdException;
import dev.acmejx.core.etcd.KeyValue;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@code acmejx fleet status} shows, read from etcd in one pass: the registered nodes with the versions they
 * have live, every lineage's version in etcd, and who holds which lock.
 *
 * @param nodes by name: when the node's serve registered, and its versions by lineage
 * @param lineages the fleet's version of each lineage
 * @param locks the holder of each lineage's lock
 */
public record FleetStatus(Map<String, Node> nodes, Map<String, Integer> lineages, Map<String, String> locks) {

    /** One registered serve. */
    public record Node(String since, Map<String, Integer> versions) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static FleetStatus read(Fleet fleet) throws EtcdException {
        FleetKeys keys = fleet.keys();
        Map<String, Node> nodes = new TreeMap<>();
        for (KeyValue kv : fleet.client().prefix(keys.nodes()).kvs()) {
            nodes.put(FleetKeys.leaf(keys.nodes(), kv.key()), node(kv));
        }
        Map<String, Integer> lineages = new TreeMap<>();
        for (KeyValue kv : fleet.client().prefix(keys.lineages()).kvs()) {
            Optional<String> name = keys.lineageOfCurrent(kv.key());
            if (name.isPresent()) {
                FleetKeys.versionNumber(kv.text()).ifPresent(v -> lineages.put(name.get(), v));
            }
        }
        Map<String, String> locks = new TreeMap<>();
        for (KeyValue kv : fleet.client().prefix(keys.locks()).kvs()) {
            locks.put(FleetKeys.leaf(keys.locks(), kv.key()), kv.text());
        }
        return new FleetStatus(nodes, lineages, locks);
    }

    private static Node node(KeyValue kv) {
        Map<String, Integer> versions = new TreeMap<>();
        try {
            JsonNode record = JSON.readTree(kv.value());
            record.path(FleetNode.VERSIONS).fields().forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asInt()));
            return new Node(record.path(FleetNode.SINCE).asText("?"), versions);
        } catch (IOException e) {
            return new Node("?", versions);
        }
    }
}
