package dev.acmejx.mux;

import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Counters every connection adds to when it closes, rendered in Prometheus' text format: connections by route
 * and outcome, connections open now, and bytes each way by route. A close costs a few map look-ups and striped
 * additions, never a lock or a string built; label text is only made when the metrics are scraped.
 */
public final class MuxMetrics {

    /** One series of {@code acmejx_connections_total}. */
    private record Series(String route, Outcome outcome) {
    }

    /** Exact, not striped: {@code --max-connections} is decided on it as each connection opens. */
    private final AtomicLong active = new AtomicLong();
    private final Map<Series, LongAdder> connections = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bytesUp = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bytesDown = new ConcurrentHashMap<>();

    /** @return the connections open now, this one included */
    long opened() {
        return active.incrementAndGet();
    }

    void closed(ConnectionRecord record) {
        active.decrementAndGet();
        add(connections, new Series(record.route(), record.outcome()), 1);
        add(bytesUp, record.route(), record.bytesUp());
        add(bytesDown, record.route(), record.bytesDown());
    }

    /** Connections open right now. */
    public long active() {
        return active.get();
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String render() {
        StringBuilder text = new StringBuilder();
        text.append("# HELP acmejx_connections_active Client connections open now.\n")
                .append("# TYPE acmejx_connections_active gauge\n")
                .append("acmejx_connections_active ").append(active.get()).append('\n');
        family(text, "acmejx_connections_total", "Closed client connections by route and outcome.", connections,
                s -> "route=\"" + escape(s.route()) + "\",outcome=\"" + s.outcome().label() + "\"");
        family(text, "acmejx_bytes_up_total", "Bytes from clients to routes.", bytesUp,
                route -> "route=\"" + escape(route) + "\"");
        family(text, "acmejx_bytes_down_total", "Bytes from routes to clients.", bytesDown,
                route -> "route=\"" + escape(route) + "\"");
        return text.toString();
    }

    private static <K> void family(StringBuilder text, String name, String help, Map<K, LongAdder> series,
            Function<K, String> labels) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n");
        series.entrySet().stream()
                .map(e -> Map.entry(labels.apply(e.getKey()), e.getValue().sum()))
                .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .forEach(e -> text.append(name).append('{').append(e.getKey()).append("} ").append(e.getValue())
                        .append('\n'));
    }

    private static <K> void add(Map<K, LongAdder> series, K key, long amount) {
        series.computeIfAbsent(key, k -> new LongAdder()).add(amount);
    }

    /** A label value as the text format needs it: backslash, quote and newline escaped. */
    public static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
