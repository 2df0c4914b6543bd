package dev.acmejx.responder;

import dev.acmejx.mux.ClientHello;
import dev.acmejx.mux.RouteTarget;

/**
 * Answers the validators of the challenge forms older than tls-alpn-01 (tls-sni-01, tls-sni-02, dvsni), which
 * all send an SNI under {@code .acme.invalid} and judge the certificate the handshake presents. They predate
 * {@code acme-tls/1} and offer no ALPN protocol, so the handshake requires none; otherwise the answer is the same
 * as tls-alpn-01's: the challenge certificate, no application data, close. A name with nothing pending is refused
 * with a fatal {@code unrecognized_name} alert.
 */
public final class LegacyResponder {

    private static final String ROUTE = "legacy-responder";

    private final PendingChallenges challenges;

    public LegacyResponder(PendingChallenges challenges) {
        this.challenges = challenges;
    }

    /**
     * Where a hello whose SNI ends in {@code .acme.invalid} goes: the handshake of the legacy challenge pending
     * for that SNI, or the refusal. Only legacy challenges are considered, never a tls-alpn-01 one.
     */
    public RouteTarget targetFor(ClientHello hello) {
        return hello.serverName().flatMap(challenges::findLegacy)
                .<RouteTarget>map(challenge -> new ChallengeAnswer(ROUTE, challenge))
                .orElseGet(() -> new RefusalTarget(ROUTE, "no legacy challenge pending"));
    }
}
