package dev.acmejx.core;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.shredzone.acme4j.Login;

/**
 * A login with the account already stored for a server, for the commands that must not register one:
 * revoking, and managing the account itself.
 */
final class StoredAccountLogin {

    private StoredAccountLogin() {
    }

    /** @param step what needs the account, for the message when there is none */
    static Login login(AccountStore accounts, URI server, Optional<Path> caCert, String step)
            throws AcmejxException {
        return login(accounts, server, caCert, Optional.empty(), step);
    }

    /** @param id the account a renewal conf names; see {@link AccountStore#find(URI, Optional)} */
    static Login login(AccountStore accounts, URI server, Optional<Path> caCert, Optional<String> id, String step)
            throws AcmejxException {
        AccountStore.StoredAccount account = accounts.find(server, id).orElseThrow(() -> noAccount(accounts, server,
                step));
        return account.login(AcmeSessions.open(server, caCert));
    }

    static AcmejxException noAccount(AccountStore accounts, URI server, String step) {
        return new AcmejxException(step + ": no account for " + server + " in " + accounts.serverDir(server)
                + "; use the --config-dir and --server the certificate was issued with (`acmejx issue` registers "
                + "an account)");
    }
}
