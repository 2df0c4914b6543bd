package dev.acmejx.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmejx.core.LineageStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What {@code acmejx certificates} prints: certbot's layout for people, and a JSON array whose field names are
 * part of the interface (documented in {@link CertificatesCommand}).
 */
final class CertificatesReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx")
            .withZone(ZoneOffset.UTC);

    private CertificatesReport() {
    }

    static String human(List<LineageStatus> statuses, Path configDir) {
        if (statuses.isEmpty()) {
            return "No certificates found in " + configDir + ".\n";
        }
        StringBuilder text = new StringBuilder("Found the following certificates:\n");
        for (LineageStatus status : statuses) {
            text.append("  Certificate Name: ").append(status.name()).append('\n');
            status.certificate().ifPresent(facts -> text
                    .append("    Serial Number: ").append(facts.serial()).append('\n')
                    .append("    Key Type: ").append(facts.keyType()).append('\n')
                    .append("    Domains: ").append(String.join(" ", facts.domains())).append('\n'));
            String expiry = status.certificate().map(facts -> EXPIRY.format(facts.notAfter())).orElse("unknown");
            text.append("    Expiry Date: ").append(expiry).append(" (").append(validity(status)).append(")\n")
                    .append("    Certificate Path: ").append(status.fullchain()).append('\n')
                    .append("    Private Key Path: ").append(status.privkey()).append('\n');
        }
        return text.toString();
    }

    private static String validity(LineageStatus status) {
        if (!status.valid()) {
            return "INVALID: " + status.reason();
        }
        long days = status.certificate().orElseThrow().daysLeft();
        return "VALID: " + days + (days == 1 ? " day" : " days");
    }

    static ArrayNode json(List<LineageStatus> statuses) {
        ArrayNode array = JSON.createArrayNode();
        for (LineageStatus status : statuses) {
            ObjectNode row = array.addObject();
            row.put("name", status.name());
            ArrayNode domains = row.putArray("domains");
            status.certificate().ifPresent(facts -> facts.domains().forEach(domains::add));
            row.put("keyType", status.certificate().map(LineageStatus.Facts::keyType).orElse(null));
            row.put("serial", status.certificate().map(LineageStatus.Facts::serial).orElse(null));
            row.put("notAfter", status.certificate().map(LineageStatus.Facts::notAfter).map(Instant::toString)
                    .orElse(null));
            row.put("daysLeft", status.certificate().map(LineageStatus.Facts::daysLeft).orElse(null));
            row.put("version", status.certificate().map(LineageStatus.Facts::version).orElse(null));
            row.put("fullchain", status.fullchain().toString());
            row.put("privkey", status.privkey().toString());
            row.put("valid", status.valid());
            row.put("reason", status.valid() ? null : status.reason());
        }
        return array;
    }
}
