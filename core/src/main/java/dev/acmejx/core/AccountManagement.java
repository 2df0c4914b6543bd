package dev.acmejx.core;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * {@code acmejx account}: the account stored for one server, as the CA sees it, and the changes a subscriber can
 * make to it. Nothing here registers an account; that is {@code issue}'s job.
 */
public final class AccountManagement {

    private static final Logger LOG = System.getLogger("acmejx.acme");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s,:]+@[^@\\s,:]+");

    /**
     * The account as the CA reported it.
     *
     * @param status the CA's status in lower case: {@code valid}, {@code deactivated}, {@code revoked}
     * @param contacts as the CA lists them ({@code mailto:} URIs)
     */
    public record AccountInfo(String id, URI server, URL location, String status, List<String> contacts) {

        public AccountInfo {
            contacts = List.copyOf(contacts);
        }
    }

    private final Path configDir;
    private final AccountStore store;
    private final URI server;
    private final Optional<Path> caCert;

    public AccountManagement(Path configDir, URI server, Optional<Path> caCert) {
        this.configDir = configDir.toAbsolutePath().normalize();
        this.store = new AccountStore(this.configDir);
        this.server = server;
        this.caCert = caCert;
    }

    /**
     * What the CA says about the account. A deactivated one is reported from the local record: the CA answers
     * nothing that a deactivated account signs.
     */
    public AccountInfo show() throws AcmejxException {
        AccountStore.StoredAccount stored = store.findStored(server)
                .orElseThrow(() -> StoredAccountLogin.noAccount(store, server, "account show"));
        if (store.deactivatedAt(server, stored.id()).isPresent()) {
            return new AccountInfo(stored.id(), server, stored.location(), "deactivated", List.of());
        }
        return fetch(stored.id(), login(usable("account show")).getAccount());
    }

    /** Replaces the account's contacts with these addresses. */
    public AccountInfo updateContacts(List<String> emails) throws AcmejxException {
        for (String email : emails) {
            if (!EMAIL.matcher(email).matches()) {
                throw new AcmejxException("invalid -m '" + email + "': give an e-mail address such as "
                        + "admin@example.com");
            }
        }
        AccountStore.StoredAccount stored = usable("account update");
        Account account = login(stored).getAccount();
        try {
            Account.EditableAccount edit = account.modify();
            edit.getContacts().clear();
            emails.forEach(edit::addEmail);
            edit.commit();
        } catch (AcmeException e) {
            throw AcmeErrors.describe(e, server, "updating the account's contacts");
        }
        LOG.log(Level.INFO, "contacts of account {0} are now {1}", stored.id(), emails);
        return fetch(stored.id(), account);
    }

    /** Deactivates the account at the CA for good, and records that in its {@code meta.json}. */
    public void deactivate() throws AcmejxException {
        try (ConfigDirLock lock = ConfigDirLock.acquire(configDir)) {
            AccountStore.StoredAccount stored = usable("account deactivate");
            try {
                login(stored).getAccount().deactivate();
            } catch (AcmeException e) {
                throw AcmeErrors.describe(e, server, "deactivating the account");
            }
            store.markDeactivated(server, stored.id());
            LOG.log(Level.INFO, "account {0} at {1} is deactivated", stored.id(), server);
        } catch (IOException e) {
            throw new AcmejxException("cannot release the lock of " + configDir + ": " + e.getMessage(), e);
        }
    }

    /** Gives the account a new key; see {@link AccountKeyRollover}. */
    public AccountKeyRollover.Outcome rolloverKey() throws AcmejxException {
        try (ConfigDirLock lock = ConfigDirLock.acquire(configDir)) {
            AccountStore.StoredAccount stored = store.findStored(server)
                    .orElseThrow(() -> StoredAccountLogin.noAccount(store, server, "account key-rollover"));
            return new AccountKeyRollover(store, AcmeSessions.open(server, caCert), server).run(stored);
        } catch (IOException e) {
            throw new AcmejxException("cannot release the lock of " + configDir + ": " + e.getMessage(), e);
        }
    }

    /** The stored account, unless it was deactivated or a rollover of its key was interrupted. */
    private AccountStore.StoredAccount usable(String step) throws AcmejxException {
        return store.find(server).orElseThrow(() -> StoredAccountLogin.noAccount(store, server, step));
    }

    private Login login(AccountStore.StoredAccount stored) throws AcmejxException {
        return stored.login(AcmeSessions.open(server, caCert));
    }

    private AccountInfo fetch(String id, Account account) throws AcmejxException {
        try {
            account.fetch();
            return new AccountInfo(id, server, account.getLocation(),
                    account.getStatus().name().toLowerCase(Locale.ROOT),
                    account.getContacts().stream().map(URI::toString).toList());
        } catch (AcmeException e) {
            throw AcmeErrors.describe(e, server, "fetching the account");
        }
    }
}
