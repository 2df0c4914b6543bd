package dev.acmejx.core;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
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
 * @param forceRenewal order without asking whether the live certificate is due ({@code renew} has decided)
 * @param responderParams how the challenges were answered, kept in the renewal conf for {@code renew}
 * @param dryRun order and download, then keep nothing: no file written, no hook run
 * @param replaces the certificate a renewal replaces, named in the order where the CA supports it (RFC 9773)
 * @param eab External Account Binding for registering an account, for CAs that require it; never stored
 */
public record IssueRequest(Lineage lineage, List<Identifier> identifiers, URI server,
        Optional<Path> caCert, Optional<String> email, KeySpec keySpec, boolean forceRenewal,
        Optional<String> deployHook, Map<String, String> responderParams, boolean dryRun,
        Optional<X509Certificate> replaces, Optional<ExternalAccountBinding> eab) {

    public IssueRequest {
        identifiers = List.copyOf(identifiers);
        // Sorted: the renewal conf must come out the same, byte for byte, for the same request.
        responderParams = Collections.unmodifiableSortedMap(new TreeMap<>(responderParams));
    }
}
