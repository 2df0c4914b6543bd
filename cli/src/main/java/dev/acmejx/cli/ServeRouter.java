package dev.acmejx.cli;

import dev.acmejx.mux.ClientHello;
import dev.acmejx.mux.RouteTarget;
import dev.acmejx.mux.Router;
import dev.acmejx.mux.RoutingTable;

/**
 * What only an ACME tool knows about routing, in front of the configured table: a hello offering
 * {@code acme-tls/1} is never forwarded to the web server (which would answer with the site's certificate), and
 * SNI {@code *.acme.invalid} goes to the legacy responder or the configured {@code --acme-invalid} port.
 */
final class ServeRouter implements Router {

    private static final String ACME_TLS_1 = "acme-tls/1";
    private static final String ACME_INVALID = ".acme.invalid";
    private static final RouteTarget NO_RESPONDER = RouteTarget.close("responder",
            "acme-tls/1 is never forwarded; no challenge pending");

    private final RoutingTable table;
    private final RouteTarget acmeInvalid;

    ServeRouter(RoutingTable table, RouteTarget acmeInvalid) {
        this.table = table;
        this.acmeInvalid = acmeInvalid;
    }

    @Override
    public RouteTarget route(ClientHello hello) {
        if (hello.offers(ACME_TLS_1)) {
            return NO_RESPONDER;
        }
        if (hello.serverName().filter(name -> name.endsWith(ACME_INVALID)).isPresent()) {
            return acmeInvalid;
        }
        return table.route(hello);
    }
}
