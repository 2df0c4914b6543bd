package dev.acmejx.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code acmejx renew}: every lineage in {@code renewal/} (or one), each decided on its own; the due ones are
 * ordered again exactly as their conf says. One lineage failing never stops the others, and the hooks run
 * with certbot's semantics (pre and post once, and only when something is due).
 */
public final class Renewals {

    /** What became of one lineage; {@code CERTBOTS}: another authenticator's, left to certbot. */
    public enum Status { RENEWED, SIMULATED, NOT_DUE, CERTBOTS, FAILED }

    /** One line of the summary. */
    public record Outcome(String name, Status status, String detail) {
    }

    /**
     * @param certName only this lineage
     * @param deployHook replaces each lineage's own deploy hook for this run
     * @param quiet log no decisions: a quiet run that finds nothing due then never starts logging at all, which
     *     is most of what a twice-daily no-op run would otherwise cost
     */
    public record Options(Optional<String> certName, boolean force, boolean dryRun, Optional<String> deployHook,
            boolean quiet) {
    }

    /** Opens what answers a lineage's challenges: the serve its conf names, or its own listener. */
    @FunctionalInterface
    public interface Responders {
        ChallengeResponder.Opener forLineage(ResponderSettings settings);
    }

    /** Runs once before the first order of a run, such as the random sleep of a timer-started run. */
    @FunctionalInterface
    public interface BeforeOrdering {
        void run() throws InterruptedException;
    }

    private final Path configDir;
    private final Options options;
    private final RenewalHooks hooks;
    private final Issuance issuance;
    private final Optional<String> fleet;

    /** A single node's renewals: the config dir is the store. */
    public Renewals(Path configDir, Options options, RenewalHooks hooks) {
        this(configDir, options, hooks, new Issuance(), Optional.empty());
    }

    /**
     * @param issuance orders and stores through the fleet's store and lock when {@code fleet} names one
     * @param fleet the fleet this run belongs to; a lineage of another fleet, or of one while this run has none,
     *     fails rather than being ordered alone
     */
    public Renewals(Path configDir, Options options, RenewalHooks hooks, Issuance issuance, Optional<String> fleet) {
        this.configDir = configDir.toAbsolutePath().normalize();
        this.options = options;
        this.hooks = hooks;
        this.issuance = issuance;
        this.fleet = fleet;
    }

    /** @return one outcome per lineage, by name */
    public List<Outcome> run(Responders responders, BeforeOrdering beforeOrdering)
            throws AcmejxException, InterruptedException {
        List<Outcome> outcomes = new ArrayList<>();
        List<RenewalPlan> due = plan(outcomes);
        if (!due.isEmpty()) {
            beforeOrdering.run();
            renewAll(due, responders, outcomes);
        }
        outcomes.sort(Comparator.comparing(Outcome::name));
        return outcomes;
    }

    /** Decides every lineage; those not due, certbot's, or unreadable, go straight into {@code outcomes}. */
    private List<RenewalPlan> plan(List<Outcome> outcomes) throws AcmejxException {
        List<RenewalPlan> due = new ArrayList<>();
        Instant now = Instant.now();
        for (String name : names()) {
            try {
                Lineage lineage = Lineage.of(configDir, name);
                RenewalConf conf = RenewalPlan.readConf(lineage);
                Optional<String> plugin = RenewalParams.otherAuthenticator(conf);
                if (plugin.isPresent()) {
                    outcomes.add(certbots(lineage, plugin.get()));
                    continue;
                }
                checkFleet(lineage, conf);
                RenewalPlan plan = RenewalPlan.of(lineage, conf, options.force(), now);
                if (!options.quiet()) {
                    plan.log();
                }
                if (plan.decision().due()) {
                    due.add(plan);
                } else {
                    outcomes.add(new Outcome(name, Status.NOT_DUE, plan.decision().reason()));
                }
            } catch (AcmejxException e) {
                outcomes.add(new Outcome(name, Status.FAILED, e.getMessage()));
            }
        }
        return due;
    }

    /** A fleet's lineage renews only through its fleet: alone, this node would order a second certificate. */
    private void checkFleet(Lineage lineage, RenewalConf conf) throws AcmejxException {
        Optional<String> its = conf.param(ConfKeys.FLEET);
        if (its.isPresent() && !its.equals(fleet)) {
            throw new AcmejxException("belongs to fleet " + its.get() + " (" + ConfKeys.FLEET + " in "
                    + lineage.renewalConf() + "); renew it with that fleet's --etcd, --fleet and --fleet-key");
        }
    }

    /** Never ordered for, even with {@code --force-renewal}: certbot renews it, and both would be one too many. */
    private static Outcome certbots(Lineage lineage, String plugin) {
        return new Outcome(lineage.name(), Status.CERTBOTS, "certbot's lineage (authenticator " + plugin
                + "), left to certbot; `" + Adoption.command(lineage) + "` hands it to acmejx");
    }

    /**
     * The pre hooks, each due lineage, the post hooks. A failing pre hook stops the renewals (as certbot's does) but
     * not the post hooks; a failing hook is a line of the summary, never a reason to lose the others.
     */
    private void renewAll(List<RenewalPlan> due, Responders responders, List<Outcome> outcomes)
            throws InterruptedException {
        RenewalHooks.Run run = new RenewalHooks.Run();
        try {
            hooks.pre();
            for (RenewalPlan plan : due) {
                Outcome outcome = renew(plan, responders, run);
                remember(plan.lineage(), outcome);
                outcomes.add(outcome);
            }
        } catch (AcmejxException e) {
            outcomes.add(new Outcome("(pre hook)", Status.FAILED, e.getMessage() + "; nothing was renewed"));
            due.forEach(plan -> outcomes.add(new Outcome(plan.lineage().name(), Status.FAILED,
                    "not renewed: the pre hook failed")));
        }
        try {
            hooks.post(run);
        } catch (AcmejxException e) {
            outcomes.add(new Outcome("(post hook)", Status.FAILED, e.getMessage()));
        }
    }

    /**
     * The outcome of an order, in the lineage's {@link LineageState} for {@code serve}'s metrics. A dry run keeps
     * nothing, as it promises; a state that cannot be written costs a warning, never the renewal.
     */
    private void remember(Lineage lineage, Outcome outcome) {
        if (options.dryRun()) {
            return;
        }
        try {
            LineageState.read(lineage).withLastRenewal(new LineageState.LastRenewal(Instant.now(),
                    outcome.status() != Status.FAILED, outcome.detail())).write(lineage);
        } catch (IOException e) {
            System.getLogger("acmejx.renew").log(System.Logger.Level.WARNING, "{0}: cannot record the outcome in "
                    + "{1}: {2}", lineage.name(), lineage.stateFile(), e.getMessage());
        }
    }

    private Outcome renew(RenewalPlan plan, Responders responders, RenewalHooks.Run run)
            throws InterruptedException {
        Lineage lineage = plan.lineage();
        IssueRequest request;
        try {
            request = plan.request(options.dryRun(), options.deployHook());
        } catch (AcmejxException e) {
            return new Outcome(lineage.name(), Status.FAILED, e.getMessage());
        }
        List<String> names = DomainNames.values(request.identifiers());
        try {
            Issuance.Result result = issuance.run(request, responders.forLineage(request.responder()),
                    uri -> false);
            if (options.dryRun()) {
                return new Outcome(lineage.name(), Status.SIMULATED, "dry run: the CA would issue; nothing kept");
            }
            if (!result.issued()) {
                return new Outcome(lineage.name(), Status.NOT_DUE, "another acmejx renewed it meanwhile");
            }
            hooks.deploy(lineage, names);
            run.renewed(names);
            return new Outcome(lineage.name(), Status.RENEWED, "version " + result.certificate().version()
                    + ", serial " + result.certificate().serialHex() + ", until " + result.certificate().notAfter());
        } catch (AcmejxException e) {
            run.failed(names);
            return new Outcome(lineage.name(), Status.FAILED, e.getMessage());
        }
    }

    /**
     * The lineages with a renewal conf, by name; or just {@code --cert-name}, which must be one of them. A name that
     * is no valid lineage name becomes that lineage's failure in the summary, not the end of the run.
     */
    private List<String> names() throws AcmejxException {
        Path renewal = configDir.resolve("renewal");
        List<String> names;
        try {
            names = Lineage.renewable(configDir);
        } catch (IOException e) {
            throw new AcmejxException("cannot list " + renewal + ": " + e.getMessage(), e);
        }
        if (options.certName().isEmpty()) {
            return names;
        }
        String wanted = options.certName().get();
        if (!names.contains(wanted)) {
            throw new AcmejxException("no lineage '" + wanted + "' in " + renewal + "; there are: "
                    + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
        return List.of(wanted);
    }
}
