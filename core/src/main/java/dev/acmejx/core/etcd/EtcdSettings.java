package dev.acmejx.core.etcd;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How to reach an etcd cluster: every member's client URL (any one that answers will do), TLS material, and a user
 * whose password lives in a file, so that it is never on a command line where {@code ps} shows it.
 *
 * @param clientCert with {@code clientKey}: the certificate this client shows, for a cluster that wants one
 */
public record EtcdSettings(List<URI> endpoints, Optional<Path> caCert, Optional<Path> clientCert,
        Optional<Path> clientKey, Optional<String> user, Optional<Path> passwordFile) {

    public EtcdSettings {
        endpoints = List.copyOf(endpoints);
    }

    /** The endpoints as the user wrote them, for messages. */
    public String describe() {
        return String.join(",", endpoints.stream().map(URI::toString).toList());
    }
}
