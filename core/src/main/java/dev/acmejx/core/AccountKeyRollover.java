package dev.acmejx.core;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URL;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * A new key for an account (RFC 8555 §7.3.5). The new key is written next to the old one before the CA is asked,
 * and moved over it once the CA took it: a run that dies in between, or loses the CA's answer, leaves both keys,
 * and the next rollover asks the CA which one it has before doing anything else. The account key is never lost.
 */
public final class AccountKeyRollover {

    private static final Logger LOG = System.getLogger("acmejx.acme");

    /** What a run did. */
    public enum Outcome {
        /** The account has a new key. */
        ROLLED_OVER,
        /** An interrupted rollover had reached the CA; its key is now the stored one and nothing else was done. */
        FINISHED_INTERRUPTED
    }

    private final AccountStore store;
    private final Session session;
    private final URI server;

    AccountKeyRollover(AccountStore store, Session session, URI server) {
        this.store = store;
        this.session = session;
        this.server = server;
    }

    Outcome run(AccountStore.StoredAccount account) throws AcmejxException {
        if (finishInterrupted(account)) {
            return Outcome.FINISHED_INTERRUPTED;
        }
        Optional<Instant> deactivated = store.deactivatedAt(server, account.id());
        if (deactivated.isPresent()) {
            throw new AcmejxException("account " + account.id() + " at " + server + " was deactivated on "
                    + deactivated.get() + "; a deactivated account cannot get a new key");
        }
        KeyPair next = KeySpec.ACCOUNT.generate();
        store.stageKey(server, account.id(), next);
        try {
            account.login(session).getAccount().changeKey(next);
        } catch (AcmeServerException e) {
            store.discardStagedKey(server, account.id());
            throw AcmeErrors.describe(e, server, "changing the account key");
        } catch (AcmeException e) {
            throw new AcmejxException(AcmeErrors.describe(e, server, "changing the account key").getMessage()
                    + ". Whether the CA took the new key is not known: both keys are kept, and the next "
                    + "`acmejx account key-rollover` asks the CA which one it has", e);
        }
        store.commitStagedKey(server, account.id());
        LOG.log(Level.INFO, "account {0} at {1} now uses a new key", account.id(), server);
        return Outcome.ROLLED_OVER;
    }

    /** @return whether the CA had taken the staged key of an interrupted rollover, which is now the stored one */
    private boolean finishInterrupted(AccountStore.StoredAccount account) throws AcmejxException {
        Optional<KeyPair> staged = store.stagedKey(server, account.id());
        if (staged.isEmpty()) {
            return false;
        }
        LOG.log(Level.WARNING, "a key rollover of account {0} was interrupted; asking the CA which key it has",
                account.id());
        if (accepts(account.location(), account.keyPair())) {
            store.discardStagedKey(server, account.id());
            LOG.log(Level.INFO, "the CA kept the old key; starting the rollover again");
            return false;
        }
        if (accepts(account.location(), staged.get())) {
            store.commitStagedKey(server, account.id());
            LOG.log(Level.INFO, "the CA had taken the new key; it is now the stored one");
            return true;
        }
        throw new AcmejxException("the CA at " + server + " accepts neither the key of account " + account.id()
                + " nor the new one an interrupted rollover left; both are kept in "
                + store.accountDir(server, account.id()));
    }

    private static final Set<String> REFUSED_KEY = Set.of("urn:ietf:params:acme:error:unauthorized",
            "urn:ietf:params:acme:error:malformed", "urn:ietf:params:acme:error:accountDoesNotExist");

    /** Whether the CA answers a request signed with {@code key} for the account at {@code location}. */
    private boolean accepts(URL location, KeyPair key) throws AcmejxException {
        try {
            session.login(location, key).getAccount().fetch();
            return true;
        } catch (AcmeServerException e) {
            // Only these say "not this key"; rate limits and server errors say nothing about it.
            if (!REFUSED_KEY.contains(String.valueOf(e.getType()))) {
                throw AcmeErrors.describe(e, server, "asking the CA which account key it has");
            }
            LOG.log(Level.DEBUG, "the CA refused that key: {0}", AcmeErrors.problem(e.getProblem()));
            return false;
        } catch (AcmeException e) {
            throw AcmeErrors.describe(e, server, "asking the CA which account key it has");
        }
    }
}
