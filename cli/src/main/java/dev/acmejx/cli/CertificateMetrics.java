package dev.acmejx.cli;

import dev.acmejx.core.LineageReadings;
import dev.acmejx.mux.MuxMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The certificates of {@code serve --config-dir} in Prometheus' text format, read at each scrape: a rule such as
 * {@code acmejx_certificate_not_after_timestamp_seconds - time() < 7 * 86400} warns before anything expires, and
 * {@code acmejx_renewal_last_success == 0} when a renewal failed, whichever process ran it.
 */
final class CertificateMetrics {

    static final String NOT_AFTER = "acmejx_certificate_not_after_timestamp_seconds";
    static final String LAST_SUCCESS = "acmejx_renewal_last_success";
    static final String LAST_RUN = "acmejx_renewal_last_run_timestamp_seconds";

    private final Path configDir;

    CertificateMetrics(Path configDir) {
        this.configDir = configDir;
    }

    String render() {
        List<LineageReadings> readings = LineageReadings.of(configDir);
        StringBuilder text = new StringBuilder();
        gauge(text, NOT_AFTER, "When each lineage's live certificate expires (Unix time).", readings,
                r -> r.notAfter().map(t -> String.valueOf(t.getEpochSecond())).orElse(null));
        gauge(text, LAST_SUCCESS, "1 when the lineage's last renewal succeeded, 0 when it failed.", readings,
                r -> r.lastRenewal().map(last -> last.succeeded() ? "1" : "0").orElse(null));
        gauge(text, LAST_RUN, "When the lineage's last renewal ran (Unix time).", readings,
                r -> r.lastRenewal().map(last -> String.valueOf(last.at().getEpochSecond())).orElse(null));
        return text.toString();
    }

    /** A lineage whose value is null (no certificate readable, never renewed) has no sample. */
    private static void gauge(StringBuilder text, String name, String help, List<LineageReadings> readings,
            Function<LineageReadings, String> value) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n");
        for (LineageReadings reading : readings) {
            String sample = value.apply(reading);
            if (sample != null) {
                text.append(name).append("{lineage=\"").append(MuxMetrics.escape(reading.name())).append("\"} ")
                        .append(sample).append('\n');
            }
        }
    }
}
