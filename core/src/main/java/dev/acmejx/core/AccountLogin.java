package dev.acmejx.core;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.security.KeyPair;
import java.util.Optional;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;

/** Logs in with the stored account for a server, or registers one (agreeing to the CA's terms first). */
final class AccountLogin {

    private static final Logger LOG = System.getLogger("acmejx.acme");

    private final AccountStore accounts;

    /** A usable login and the id of the stored account behind it. */
    record LoggedIn(String accountId, Login login) {
    }

    AccountLogin(AccountStore accounts) {
        this.accounts = accounts;
    }

    /**
     * @param accountId the stored account to use, as a renewal conf names it; see {@link AccountStore#find(URI,
     *     Optional)}
     * @param eab for a CA that requires External Account Binding; used only if an account is registered
     */
    LoggedIn login(Session session, Optional<String> accountId, Optional<String> email, TermsOfService terms,
            Optional<ExternalAccountBinding> eab) throws AcmejxException {
        URI server = session.getServerUri();
        Optional<AccountStore.StoredAccount> stored = accounts.find(server, accountId);
        if (stored.isPresent()) {
            LOG.log(Level.INFO, "account {0} at {1}", stored.get().id(), server);
            return new LoggedIn(stored.get().id(), stored.get().login(session));
        }
        try {
            AccountBuilder builder = new AccountBuilder();
            Optional<URI> tos = session.getMetadata().getTermsOfService();
            if (tos.isPresent()) {
                if (!terms.agree(tos.get())) {
                    throw new AcmejxException("you did not agree to the terms of service at " + tos.get()
                            + "; the CA registers no account without that");
                }
                builder.agreeToTermsOfService();
            }
            if (eab.isPresent()) {
                builder.withKeyIdentifier(eab.get().kid(), eab.get().hmacKey());
            } else if (session.getMetadata().isExternalAccountRequired()) {
                throw new AcmejxException("the CA at " + server + " requires External Account Binding: give "
                        + ExternalAccountBinding.KID_OPTION + " and the HMAC key (" + ExternalAccountBinding.KEY_SOURCES
                        + "), as the CA's account page shows them");
            }
            email.ifPresent(builder::addEmail);
            KeyPair key = KeySpec.ACCOUNT.generate();
            Login login = builder.useKeyPair(key).createLogin(session);
            AccountStore.StoredAccount account = accounts.save(server, key, login.getAccountLocation());
            LOG.log(Level.INFO, "registered account {0} at {1}", account.id(), server);
            return new LoggedIn(account.id(), login);
        } catch (AcmeException e) {
            throw AcmeErrors.describe(e, server, "registering an account");
        }
    }
}
