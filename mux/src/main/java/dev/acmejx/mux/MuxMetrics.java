package dev.acmejx.mux;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters every connection adds to when it closes, rendered in Prometheus' text format: connections by route
 * and outcome, connections open now, and bytes each way by route. Counting is a few striped additions per
 * connection, never a lock on the hot path.
 */
public final class MuxMetrics {

    private final LongAdder active = new LongAdder();
    private final Map<String, LongAdder> connections = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bytesUp = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bytesDown = new ConcurrentHashMap<>();

    void opened() {
        active.increment();
    }

    void closed(ConnectionRecord record) {
        active.decrement();
        String route = escape(record.route());
        add(connections, "route=\"" + route + "\",outcome=\"" + record.outcome().label() + "\"", 1);
        add(bytesUp, "route=\"" + route + "\"", record.bytesUp());
        add(bytesDown, "route=\"" + route + "\"", record.bytesDown());
    }

    /** Connections open right now. */
    public long active() {
        return active.sum();
    }

    /** Closed connections with that route and outcome so far. */
    public long connections(String route, Outcome outcome) {
        LongAdder count = connections.get("route=\"" + escape(route) + "\",outcome=\"" + outcome.label() + "\"");
        return count == null ? 0 : count.sum();
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String render() {
        StringBuilder text = new StringBuilder();
        text.append("# HELP acmejx_connections_active Client connections open now.\n")
                .append("# TYPE acmejx_connections_active gauge\n")
                .append("acmejx_connections_active ").append(active.sum()).append('\n');
        family(text, "acmejx_connections_total", "Closed client connections by route and outcome.", connections);
        family(text, "acmejx_bytes_up_total", "Bytes from clients to routes.", bytesUp);
        family(text, "acmejx_bytes_down_total", "Bytes from routes to clients.", bytesDown);
        return text.toString();
    }

    private static void family(StringBuilder text, String name, String help, Map<String, LongAdder> series) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n");
        new java.util.TreeMap<>(series).forEach((labels, value) ->
                text.append(name).append('{').append(labels).append("} ").append(value.sum()).append('\n'));
    }

    private static void add(Map<String, LongAdder> series, String labels, long amount) {
        series.computeIfAbsent(labels, k -> new LongAdder()).add(amount);
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
