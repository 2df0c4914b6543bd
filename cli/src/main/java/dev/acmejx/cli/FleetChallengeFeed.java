package dev.acmejx.cli;

import dev.acmejx.core.FleetNode;
import dev.acmejx.responder.ChallengeIdentifier;
import dev.acmejx.responder.PendingChallenges;

/** The fleet's challenges into serve's own registry, where the control socket's go too: one place answers both. */
final class FleetChallengeFeed implements FleetNode.Challenges {

    private final PendingChallenges registry;

    FleetChallengeFeed(PendingChallenges registry) {
        this.registry = registry;
    }

    @Override
    public void publish(String identifier, byte[] acmeValidation) {
        registry.publishTlsAlpn01(ChallengeIdentifier.of(identifier), acmeValidation);
    }

    @Override
    public void withdraw(String identifier) {
        registry.withdraw(ChallengeIdentifier.of(identifier));
    }
}
