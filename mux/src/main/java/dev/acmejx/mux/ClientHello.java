package dev.acmejx.mux;

import java.util.List;
import java.util.Optional;

/**
 * What the mux learns from a TLS ClientHello without terminating TLS: the only two things routing needs.
 *
 * @param serverName the SNI host_name, lower-cased, or empty when the client sent none
 * @param alpnProtocols the ALPN protocol names in the client's order; empty when the extension is absent
 */
public record ClientHello(Optional<String> serverName, List<String> alpnProtocols) {

    public ClientHello {
        alpnProtocols = List.copyOf(alpnProtocols);
    }

    /** Whether the client offers {@code protocol} among its ALPN protocols. */
    public boolean offers(String protocol) {
        return alpnProtocols.contains(protocol);
    }

    /** The SNI for log lines, {@code -} when absent. */
    public String serverNameForLog() {
        return serverName.orElse("-");
    }
}
