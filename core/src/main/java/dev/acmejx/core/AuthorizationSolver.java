package dev.acmejx.core;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.exception.AcmeException;

/** Proves control of one identifier with tls-alpn-01: publish, ask the CA to validate, wait, withdraw. */
final class AuthorizationSolver {

    private static final Logger LOG = System.getLogger("acmejx.acme");

    private final ChallengeResponder responder;
    private final Poller poller;

    /** How one authorization ended: {@code problem} is empty when the identifier is proven. */
    record Outcome(Identifier identifier, Optional<String> problem) {
    }

    AuthorizationSolver(ChallengeResponder responder, Poller poller) {
        this.responder = responder;
        this.poller = poller;
    }

    Outcome solve(Authorization authorization) throws AcmeException, AcmejxException, InterruptedException {
        Identifier identifier = authorization.getIdentifier();
        Status status = authorization.getStatus();
        if (status == Status.VALID) {
            LOG.log(Level.INFO, "{0}: already authorized, nothing to prove", identifier.getValue());
            return new Outcome(identifier, Optional.empty());
        }
        if (status != Status.PENDING) {
            return failed(identifier, "the authorization is " + status.name().toLowerCase(Locale.ROOT));
        }
        Optional<TlsAlpn01Challenge> offered = authorization.findChallenge(TlsAlpn01Challenge.class);
        if (offered.isEmpty()) {
            return failed(identifier, "the CA offers no tls-alpn-01 challenge (only "
                    + authorization.getChallenges().stream().map(Challenge::getType).collect(Collectors.joining(", "))
                    + ")");
        }
        TlsAlpn01Challenge challenge = offered.get();
        responder.publishTlsAlpn01(identifier, challenge.getAcmeValidation());
        try {
            challenge.trigger();
            LOG.log(Level.INFO, "{0}: tls-alpn-01 published, validation requested", identifier.getValue());
            Status result = poller.await(challenge, Set.of(Status.VALID, Status.INVALID),
                    "tls-alpn-01 validation of " + identifier.getValue());
            if (result == Status.VALID) {
                LOG.log(Level.INFO, "{0}: validated", identifier.getValue());
                return new Outcome(identifier, Optional.empty());
            }
            return failed(identifier, challenge.getError().map(AcmeErrors::problem).orElse("validation failed"));
        } finally {
            responder.withdrawTlsAlpn01(identifier);
        }
    }

    private static Outcome failed(Identifier identifier, String problem) {
        LOG.log(Level.WARNING, "{0}: authorization failed: {1}", identifier.getValue(), problem);
        return new Outcome(identifier, Optional.of(problem));
    }
}
