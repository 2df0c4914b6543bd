package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.ChallengeResponder;
import dev.acmejx.core.ConfigDirLock;
import dev.acmejx.core.Fleet;
import dev.acmejx.core.FleetChallenges;
import dev.acmejx.core.FleetCopy;
import dev.acmejx.core.FleetLineages;
import dev.acmejx.core.Issuance;
import dev.acmejx.core.ResponderSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How {@code issue} and {@code renew} run with or without a fleet: the store and lock they order through, and the
 * responders they answer with, in one place so the two commands cannot drift apart.
 */
final class FleetRuns {

    private final Optional<Fleet> fleet;

    FleetRuns(Optional<Fleet> fleet) {
        this.fleet = fleet;
    }

    /** @param own how this node answers challenges, for lineages that are new to its config dir */
    Issuance issuance(ResponderSettings own) {
        return fleet.map(f -> {
            FleetLineages lineages = new FleetLineages(f, own);
            return new Issuance(lineages, lineages);
        }).orElseGet(Issuance::new);
    }

    /** The lineage's own responder, and in a fleet also every node's serve. */
    ChallengeResponder.Opener responders(ResponderSettings settings) {
        ChallengeResponder.Opener own = () -> ResponderOptions.open(settings);
        return fleet.map(f -> FleetChallenges.around(f, own)).orElse(own);
    }

    Optional<String> fleetName() {
        return fleet.map(f -> f.settings().name());
    }

    /** Before renew decides anything: every fleet lineage this node lacks, or has an older version of. */
    void catchUp(Path configDir) throws AcmejxException {
        if (fleet.isEmpty()) {
            return;
        }
        try (ConfigDirLock lock = ConfigDirLock.await(configDir)) {
            new FleetCopy(fleet.get(), configDir, ResponderSettings.DEFAULT).catchUpAll();
        } catch (IOException e) {
            throw new AcmejxException("cannot release the lock on " + configDir + ": " + e.getMessage(), e);
        }
    }
}
