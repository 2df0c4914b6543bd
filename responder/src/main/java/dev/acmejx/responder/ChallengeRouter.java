package dev.acmejx.responder;

import dev.acmejx.mux.ClientHello;
import dev.acmejx.mux.RouteTarget;
import dev.acmejx.mux.Router;

/**
 * The one routing rule of every listener that answers challenges, serve's and the in-process responder's alike,
 * whatever feeds the registry (the control socket, ualpn, the fleet): a hello offering {@code acme-tls/1} belongs
 * to the tls-alpn-01 responder, answered or refused but never passed on (a web server would answer with the site's
 * certificate); then an SNI under {@code .acme.invalid} goes where legacy challenges go; everything else goes on.
 */
public final class ChallengeRouter implements Router {

    private final AcmeTlsResponder acmeTls;
    private final Router acmeInvalid;
    private final Router otherwise;

    /**
     * @param acmeInvalid where an {@code .acme.invalid} SNI goes: {@link #legacyAnswers}, or a configured port
     * @param otherwise where everything else goes: serve's routing table, or a refusal
     */
    public ChallengeRouter(PendingChallenges challenges, Router acmeInvalid, Router otherwise) {
        this.acmeTls = new AcmeTlsResponder(challenges);
        this.acmeInvalid = acmeInvalid;
        this.otherwise = otherwise;
    }

    /** The legacy responder's answer (tls-sni-01, tls-sni-02, dvsni) for an {@code .acme.invalid} SNI. */
    public static Router legacyAnswers(PendingChallenges challenges) {
        return new LegacyResponder(challenges)::targetFor;
    }

    @Override
    public RouteTarget route(ClientHello hello) {
        return acmeTls.targetFor(hello).orElseGet(() -> isAcmeInvalid(hello) ? acmeInvalid.route(hello)
                : otherwise.route(hello));
    }

    /** Case-insensitive in effect: the mux lower-cases the SNI it reads, as {@link ClientHello} promises. */
    private static boolean isAcmeInvalid(ClientHello hello) {
        return hello.serverName().filter(name -> name.endsWith(LegacyCertificates.ACME_INVALID)).isPresent();
    }
}
