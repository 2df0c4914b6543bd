package dev.acmejx.core;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One lineage as {@code acmejx certificates} reports it: what its live certificate says and whether a web server
 * pointed at its live files would work.
 *
 * @param certificate empty when {@code live/<name>/cert.pem} could not be read at all
 * @param problems why the lineage is not usable, each a complete sentence fragment; empty when it is
 */
public record LineageStatus(String name, Path fullchain, Path privkey, Optional<Facts> certificate,
        List<String> problems) {

    /**
     * What the live certificate says.
     *
     * @param version the archive version {@code cert.pem} links to; 0 when it is not such a link
     * @param domains the SANs, in the renewal conf's order where it lists them, the certificate's for the rest
     * @param keyType {@code ECDSA P-256}, {@code ECDSA P-384} or {@code RSA <bits>}
     * @param serial lower-case hex without leading zeros
     * @param daysLeft whole days until {@code notAfter}; negative once expired
     */
    public record Facts(int version, List<String> domains, String keyType, String serial, Instant notAfter,
            long daysLeft) {

        public Facts {
            domains = List.copyOf(domains);
        }
    }

    public LineageStatus {
        problems = List.copyOf(problems);
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** The problems as one line; empty when valid. */
    public String reason() {
        return String.join("; ", problems);
    }
}
