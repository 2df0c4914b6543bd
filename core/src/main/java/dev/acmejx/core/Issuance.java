package dev.acmejx.core;

import java.io.IOException;
import java.nio.file.Files;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * {@code acmejx issue} from start to end: lock the config dir, finish what an interrupted run left, decide
 * whether anything is due, get the certificate, store it with its renewal conf, run the deploy hook. The previous
 * certificate stays live until a complete new one is in the archive.
 */
public final class Issuance {

    private static final Logger LOG = System.getLogger("acmejx.acme");
    private static final Duration CA_TIMEOUT = Duration.ofMinutes(3);

    /**
     * What happened: {@code issued} is false when the live certificate was not due and nothing was ordered.
     *
     * @param why when nothing was issued: the reason, for the summary
     */
    public record Result(LiveCertificate certificate, boolean issued, String why) {
    }

    private final CertificateStore local = new CertificateStore();
    private final LineageStore store;
    private final LineageLocker locker;

    /** Today's single node: the config dir is the store, its lock the lock. */
    public Issuance() {
        this(new CertificateStore(), LineageLocker.LOCAL);
    }

    /** @param store where versions are kept and committed, such as a fleet's etcd with the config dir as copy */
    public Issuance(LineageStore store, LineageLocker locker) {
        this.store = store;
        this.locker = locker;
    }

    public Result run(IssueRequest request, ChallengeResponder.Opener responders, TermsOfService terms)
            throws AcmejxException, InterruptedException {
        Lineage lineage = request.lineage();
        try (LineageLock lock = locker.lock(lineage)) {
            if (!request.dryRun()) {
                resumeDeployment(lineage);
            }
            Optional<LiveCertificate> live = store.live(lineage);
            if (changedMeanwhile(request, live)) {
                return new Result(live.get(), false, "another acmejx renewed it meanwhile");
            }
            Optional<RenewalDecision> decision = live.isPresent() ? Optional.of(decide(request, live.get()))
                    : Optional.empty();
            if (decision.isPresent() && !decision.get().due()) {
                return new Result(live.get(), false, decision.get().reason());
            }
            Optional<RenewalConf> previous = previousConf(lineage);
            Adoption.announce(lineage, previous);
            Obtained obtained = obtain(request, account(request, previous), responders, terms);
            if (request.dryRun()) {
                LOG.log(Level.INFO, "dry run: got serial {0} and kept nothing; no file changed, no hook ran",
                        obtained.chain().get(0).getSerialNumber().toString(16));
                return new Result(live.orElse(null), false, "dry run: nothing kept");
            }
            RenewalConf written = RenewalConf.of(lineage, Version.VALUE,
                    RenewalParams.of(request, obtained.accountId(), obtained.ari()));
            Adoption.keepCertbotConf(lineage, previous);
            RenewalConf conf = previous.isPresent() ? written.keepingSettingsOf(previous.get()) : written;
            LiveCertificate stored = store.save(lock, lineage, obtained.key().getPrivate(), obtained.chain(), conf);
            LOG.log(Level.INFO, "stored as version {0}; {1} now points at it", String.valueOf(stored.version()),
                    lineage.liveDir());
            deploy(lineage, request.deployHook(), DomainNames.values(request.identifiers()));
            return new Result(stored, true, "");
        } catch (IOException e) {
            throw new AcmejxException("cannot update the certificate store in " + lineage.configDir() + ": "
                    + e.getMessage(), e);
        }
    }

    /** What an order brought back, and what the renewal conf records about how. */
    private record Obtained(KeyPair key, List<X509Certificate> chain, String accountId, boolean ari) {
    }

    /**
     * The account to order with: the one the request names, else the one the lineage's conf names for the same
     * server, so that {@code issue} on a lineage, certbot's included, keeps its account.
     */
    private static Optional<String> account(IssueRequest request, Optional<RenewalConf> previous) {
        return request.account().or(() -> previous
                .filter(conf -> RenewalPlan.server(conf).equals(request.server()))
                .flatMap(conf -> conf.param(ConfKeys.ACCOUNT)));
    }

    private static Obtained obtain(IssueRequest request, Optional<String> accountId,
            ChallengeResponder.Opener responders, TermsOfService terms) throws AcmejxException, InterruptedException {
        AccountStore accounts = new AccountStore(request.lineage().configDir());
        if (request.dryRun() && accounts.find(request.server(), accountId).isEmpty()) {
            throw new AcmejxException("a dry run writes nothing, so it registers no account, and there is none for "
                    + request.server() + " in " + request.lineage().configDir() + "; run without --dry-run first");
        }
        CompletableFuture<KeyPair> key = CompletableFuture.supplyAsync(request.keySpec()::generate);
        try (ChallengeResponder responder = responders.open()) {
            Session session = AcmeSessions.open(request.server(), request.caCert());
            Profiles.check(session, request.profile());
            AccountLogin.LoggedIn account = new AccountLogin(accounts).login(session, accountId, request.email(),
                    terms, request.eab());
            boolean ari = offersRenewalInfo(session);
            List<X509Certificate> chain = new CertificateOrder(account.login(), request.server(), CA_TIMEOUT)
                    .issue(request.identifiers(), key, request.keySpec(), responder, new CertificateOrder.Extras(
                            ari && !request.dryRun() ? request.replaces() : Optional.empty(), request.profile()));
            return new Obtained(key.join(), chain, account.accountId(), ari);
        }
    }

    /** Whether the CA's directory (already fetched for the login) names a renewalInfo resource. */
    static boolean offersRenewalInfo(Session session) throws AcmejxException {
        try {
            return session.resourceUrlOptional(Resource.RENEWAL_INFO).isPresent();
        } catch (AcmeException e) {
            throw AcmeErrors.describe(e, session.getServerUri(), "reading the directory");
        }
    }

    /**
     * A run that died after its new version started going live never ran its deploy hook: the web server would
     * go on serving the old certificate. Complete the link move and run the hook the renewal conf names.
     */
    private void resumeDeployment(Lineage lineage) throws IOException, AcmejxException {
        if (!local.deploymentPending(lineage)) {
            return;
        }
        LOG.log(Level.WARNING, "an interrupted run left {0} half-deployed; completing it", lineage.name());
        local.live(lineage);
        RenewalConf conf = RenewalConf.read(lineage.renewalConf());
        List<String> names = List.of(conf.param(ConfKeys.DOMAINS).orElse("").split(",\\s*"));
        deploy(lineage, conf.param(ConfKeys.DEPLOY_HOOK), names);
    }

    /** @param names in the order the user gave them, as certbot passes them in {@code RENEWED_DOMAINS} */
    private void deploy(Lineage lineage, Optional<String> hook, List<String> names)
            throws IOException, AcmejxException {
        try {
            if (hook.isPresent()) {
                DeployHook.run(hook.get(), lineage, names);
            }
        } finally {
            local.deployed(lineage);
        }
    }

    /**
     * A renewal decided on {@code replaces} before it held the lock (and perhaps slept minutes since): if another
     * run renewed the lineage meanwhile there is nothing left to do, and if it was deleted, nothing to renew.
     */
    private static boolean changedMeanwhile(IssueRequest request, Optional<LiveCertificate> live)
            throws AcmejxException {
        if (request.replaces().isEmpty()) {
            return false;
        }
        if (live.isEmpty()) {
            throw new AcmejxException(request.lineage().name() + " was deleted after this run decided to renew it; "
                    + "nothing was ordered");
        }
        if (live.get().certificate().equals(request.replaces().get())) {
            return false;
        }
        LOG.log(Level.INFO, "{0} was renewed by another run meanwhile (now serial {1}); not ordering again",
                request.lineage().name(), live.get().serialHex());
        return true;
    }

    /**
     * The same rule {@code renew} applies ({@link RenewalDecision}: the lineage's {@code renew_before_expiry}, else a
     * third of the lifetime), plus one of issue's own: different names always make a new order.
     */
    private static RenewalDecision decide(IssueRequest request, LiveCertificate live)
            throws AcmejxException, IOException {
        List<String> wanted = DomainNames.values(request.identifiers());
        RenewalDecision decision = !request.forceRenewal() && !new HashSet<>(live.names()).equals(new HashSet<>(wanted))
                ? new RenewalDecision(true, "names changed from " + live.names() + " to " + wanted)
                : RenewalDecision.decide(Instant.now(), live.notBefore(), live.notAfter(), Optional.empty(), 0,
                        renewBeforeExpiry(request.lineage()), request.forceRenewal());
        LOG.log(Level.INFO, "{0}: {1}", live.lineage().name(), decision.reason());
        return decision;
    }

    private static Optional<String> renewBeforeExpiry(Lineage lineage) throws IOException {
        return previousConf(lineage).flatMap(conf -> conf.top(ConfKeys.RENEW_BEFORE_EXPIRY));
    }

    private static Optional<RenewalConf> previousConf(Lineage lineage) throws IOException {
        return Files.exists(lineage.renewalConf()) ? Optional.of(RenewalConf.read(lineage.renewalConf()))
                : Optional.empty();
    }
}
