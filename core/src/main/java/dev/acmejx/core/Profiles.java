package dev.acmejx.core;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.shredzone.acme4j.Metadata;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * ACME profiles (draft-aaron-acme-profiles, as Let's Encrypt offers {@code classic}, {@code tlsserver} and
 * {@code shortlived}): a name the CA's directory lists under {@code meta.profiles}, asked for in the new order. A
 * profile the CA does not offer is refused here, before anything is ordered, with the names it does offer.
 */
final class Profiles {

    private Profiles() {
    }

    /** @throws AcmejxException when {@code wanted} is set and the CA's directory does not offer it */
    static void check(Session session, Optional<String> wanted) throws AcmejxException {
        if (wanted.isEmpty()) {
            return;
        }
        Metadata meta;
        try {
            meta = session.getMetadata();
        } catch (AcmeException e) {
            throw AcmeErrors.describe(e, session.getServerUri(), "reading the directory");
        }
        check(session.getServerUri().toString(), meta.getProfiles(), wanted.get());
    }

    static void check(String server, Set<String> offered, String wanted) throws AcmejxException {
        if (offered.isEmpty()) {
            throw new AcmejxException("--profile " + wanted + ": the CA at " + server + " offers no profiles (its "
                    + "directory has no meta.profiles); leave --profile out for this CA");
        }
        if (!offered.contains(wanted)) {
            throw new AcmejxException("--profile " + wanted + ": the CA at " + server + " does not offer it; it "
                    + "offers " + String.join(", ", new TreeSet<>(offered)));
        }
    }
}
