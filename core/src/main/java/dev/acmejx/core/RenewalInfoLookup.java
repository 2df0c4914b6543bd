package dev.acmejx.core;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * Asks the CA for a certificate's ACME Renewal Information (RFC 9773). When the CA cannot be asked (down, the
 * account gone, the resource withdrawn), renew falls back to the expiry rule with a warning rather than failing
 * a lineage that may well be fine.
 */
final class RenewalInfoLookup {

    private static final Logger LOG = System.getLogger("acmejx.renew");

    private RenewalInfoLookup() {
    }

    static Optional<RenewalDecision.Window> window(Lineage lineage, URI server, Optional<Path> caCert,
            X509Certificate certificate) {
        try {
            Session session = AcmeSessions.open(server, caCert);
            Optional<AccountStore.StoredAccount> account = new AccountStore(lineage.configDir()).find(server);
            if (account.isEmpty() || !Issuance.offersRenewalInfo(session)) {
                LOG.log(Level.WARNING, "{0}: no renewal information from {1} (no account, or none offered); "
                        + "using the expiry date", lineage.name(), server);
                return Optional.empty();
            }
            Login login = session.login(account.get().location(), account.get().keyPair());
            RenewalInfo info = login.bindRenewalInfo(certificate);
            info.fetch();
            return Optional.of(new RenewalDecision.Window(info.getSuggestedWindowStart(),
                    info.getSuggestedWindowEnd()));
        } catch (AcmejxException | AcmeException e) {
            LOG.log(Level.WARNING, "{0}: cannot get renewal information from {1} ({2}); using the expiry date",
                    lineage.name(), server, e.getMessage());
            return Optional.empty();
        }
    }
}
