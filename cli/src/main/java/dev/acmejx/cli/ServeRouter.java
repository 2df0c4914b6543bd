package dev.acmejx.cli;

import dev.acmejx.mux.ClientHello;
import dev.acmejx.mux.RouteTarget;
import dev.acmejx.mux.Router;
import dev.acmejx.mux.RoutingTable;
import dev.acmejx.responder.AcmeTlsResponder;

/**
 * What only an ACME tool knows about routing, in front of the configured table: a hello offering
 * {@code acme-tls/1} belongs to the responder, answered or refused but never forwarded to the web server (which
 * would answer with the site's certificate), and SNI {@code *.acme.invalid} goes to the legacy responder or the
 * configured {@code --acme-invalid} port.
 */
final class ServeRouter implements Router {

    private static final String ACME_INVALID = ".acme.invalid";

    private final RoutingTable table;
    private final AcmeTlsResponder acmeTls;
    private final Router acmeInvalid;

    ServeRouter(RoutingTable table, AcmeTlsResponder acmeTls, Router acmeInvalid) {
        this.table = table;
        this.acmeTls = acmeTls;
        this.acmeInvalid = acmeInvalid;
    }

    @Override
    public RouteTarget route(ClientHello hello) {
        return acmeTls.targetFor(hello).orElseGet(() -> acmeInvalidOrTable(hello));
    }

    private RouteTarget acmeInvalidOrTable(ClientHello hello) {
        boolean legacy = hello.serverName().filter(name -> name.endsWith(ACME_INVALID)).isPresent();
        return legacy ? acmeInvalid.route(hello) : table.route(hello);
    }
}
