package dev.acmejx.responder;

import dev.acmejx.mux.ClientHello;
import dev.acmejx.mux.RouteTarget;
import java.util.Optional;

/**
 * Answers tls-alpn-01 validation connections: a TLS handshake with the prepared challenge certificate, ALPN
 * {@code acme-tls/1} negotiated, no application data, then close (RFC 8737 §3). A hello that offers
 * {@code acme-tls/1} for a name with no tls-alpn-01 challenge pending gets no certificate at all, never the
 * site's: it is refused with a fatal {@code unrecognized_name} alert, and the connection is logged as refused.
 */
public final class AcmeTlsResponder {

    private static final String ROUTE = "responder";

    private final PendingChallenges challenges;

    public AcmeTlsResponder(PendingChallenges challenges) {
        this.challenges = challenges;
    }

    /**
     * The responder's claim on a connection: every hello that offers {@code acme-tls/1} is the responder's,
     * answered or refused; anything else is not (empty).
     */
    public Optional<RouteTarget> targetFor(ClientHello hello) {
        if (!hello.offers(TlsAlpnCertificates.ACME_TLS_1)) {
            return Optional.empty();
        }
        return Optional.of(hello.serverName().flatMap(challenges::find)
                .<RouteTarget>map(challenge -> new ChallengeAnswer(ROUTE, challenge))
                .orElseGet(() -> new RefusalTarget(ROUTE, "acme-tls/1 with no tls-alpn-01 challenge pending")));
    }
}
