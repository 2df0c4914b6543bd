package dev.acmejx.core;

import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.shredzone.acme4j.Identifier;

/**
 * Everything one {@code acmejx issue} needs, already validated.
 *
 * @param lineage where the certificate goes (its config dir and name)
 * @param identifiers the names, in the order the certificate lists them
 * @param responderParams how the challenges were answered, kept in the renewal conf for {@code renew}
 */
public record IssueRequest(Lineage lineage, List<Identifier> identifiers, URI server,
        Optional<Path> caCert, Optional<String> email, KeySpec keySpec, boolean forceRenewal,
        Optional<String> deployHook, Map<String, String> responderParams) {

    public IssueRequest {
        identifiers = List.copyOf(identifiers);
        // Sorted: the renewal conf must come out the same, byte for byte, for the same request.
        responderParams = Collections.unmodifiableSortedMap(new TreeMap<>(responderParams));
    }
}
