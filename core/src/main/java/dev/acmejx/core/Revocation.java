package dev.acmejx.core;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * {@code acmejx revoke}: asks the CA, with the account stored for it, to revoke a certificate. The files stay
 * where they are; removing them is {@code delete}'s job.
 */
public final class Revocation {

    private static final Logger LOG = System.getLogger("acmejx.acme");

    /** The reasons certbot offers, by its names; RFC 5280 has more, but CAs accept only these from subscribers. */
    private static final Map<String, RevocationReason> REASONS = Map.of(
            "unspecified", RevocationReason.UNSPECIFIED,
            "keycompromise", RevocationReason.KEY_COMPROMISE,
            "affiliationchanged", RevocationReason.AFFILIATION_CHANGED,
            "superseded", RevocationReason.SUPERSEDED,
            "cessationofoperation", RevocationReason.CESSATION_OF_OPERATION);

    private Revocation() {
    }

    /** certbot's {@code --reason} names, in any case, with or without {@code -} and {@code _}. */
    public static RevocationReason reason(String name) throws AcmejxException {
        RevocationReason reason = REASONS.get(name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", ""));
        if (reason == null) {
            throw new AcmejxException("invalid --reason '" + name + "': use unspecified, keycompromise, "
                    + "affiliationchanged, superseded or cessationofoperation");
        }
        return reason;
    }

    public static void revoke(Path configDir, RevocationTarget target, RevocationReason reason)
            throws AcmejxException {
        String serial = target.certificate().getSerialNumber().toString(16);
        Login login = StoredAccountLogin.login(new AccountStore(configDir), target.server(), target.caCert(),
                "revoking a certificate");
        try {
            Certificate.revoke(login, target.certificate(), reason);
        } catch (AcmeException e) {
            throw AcmeErrors.describe(e, target.server(), "revoking serial " + serial + " (" + target.source()
                    + ")");
        }
        LOG.log(Level.INFO, "revoked serial {0} ({1}) at {2}, reason {3}", serial, target.source(),
                target.server(), reason.name().toLowerCase(Locale.ROOT));
    }
}
