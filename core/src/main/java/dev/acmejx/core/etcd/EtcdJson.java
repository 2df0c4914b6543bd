package dev.acmejx.core.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The gateway's encoding: keys and values are base64, 64-bit numbers are strings, and a field at its zero value
 * is left out of a response altogether.
 */
final class EtcdJson {

    private EtcdJson() {
    }

    static String encode(String key) {
        return encode(key.getBytes(StandardCharsets.UTF_8));
    }

    static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The end of a range holding every key that starts with {@code prefix}: the prefix with its last byte + 1. */
    static String rangeEnd(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        end = Arrays.copyOf(end, end.length);
        end[end.length - 1]++;
        return encode(end);
    }

    static long number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() ? 0 : Long.parseLong(value.asText());
    }

    static KeyValue keyValue(JsonNode kv) {
        return new KeyValue(new String(decode(kv, "key"), StandardCharsets.UTF_8), decode(kv, "value"),
                number(kv, "create_revision"), number(kv, "mod_revision"), number(kv, "lease"));
    }

    static List<KeyValue> keyValues(JsonNode response) {
        List<KeyValue> kvs = new ArrayList<>();
        response.path("kvs").forEach(kv -> kvs.add(keyValue(kv)));
        return kvs;
    }

    private static byte[] decode(JsonNode node, String field) {
        return Base64.getDecoder().decode(node.path(field).asText(""));
    }
}
