package dev.acmejx.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A fleet lineage's renewal conf as etcd holds it: what every node shares (names, key type, account, server,
 * hooks), without what is each node's own (the paths into its config dir, its control socket and listen address),
 * which each node puts back when it writes its copy.
 */
final class FleetConf {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOP = "top";
    private static final String PARAMS = "params";
    private static final Set<String> NODE_PARAMS = Set.of(ConfKeys.CONTROL_SOCKET, ConfKeys.TLS_ALPN_LISTEN);

    private FleetConf() {
    }

    static byte[] shared(RenewalConf conf) {
        ObjectNode json = JSON.createObjectNode();
        ObjectNode top = json.putObject(TOP);
        conf.tops().forEach((key, value) -> {
            if (!nodeTop(key)) {
                top.put(key, value);
            }
        });
        ObjectNode params = json.putObject(PARAMS);
        conf.params().forEach((key, value) -> {
            if (!NODE_PARAMS.contains(key)) {
                params.put(key, value);
            }
        });
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** This node's conf for {@code lineage}: the shared one, with this node's paths and its own responder. */
    static RenewalConf local(byte[] shared, Lineage lineage, ResponderSettings own) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(shared);
        Map<String, String> params = new LinkedHashMap<>();
        json.path(PARAMS).fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        own.writeTo(params);
        Map<String, String> top = new LinkedHashMap<>();
        json.path(TOP).fields().forEachRemaining(e -> top.put(e.getKey(), e.getValue().asText()));
        return RenewalConf.of(lineage, Version.VALUE, params).withTops(top);
    }

    private static boolean nodeTop(String key) {
        return key.equals(ConfKeys.VERSION) || key.equals(ConfKeys.ARCHIVE_DIR) || Lineage.KINDS.contains(key);
    }
}
