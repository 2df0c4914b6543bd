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

    /** What became of one lineage. */
    public enum Status { RENEWED, SIMULATED, NOT_DUE, FAILED }

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
        ChallengeResponder.Opener forLineage(Optional<String> controlSocket, Optional<String> listen);
    }

    /** Runs once before the first order of a run, such as the random sleep of a timer-started run. */
    @FunctionalInterface
    public interface BeforeOrdering {
        void run() throws InterruptedException;
    }

    private final Path configDir;
    private final Options options;
    private final RenewalHooks hooks;

    public Renewals(Path configDir, Options options, RenewalHooks hooks) {
        this.configDir = configDir.toAbsolutePath().normalize();
        this.options = options;
        this.hooks = hooks;
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

    /** Decides every lineage; those not due, or unreadable, go straight into {@code outcomes}. */
    private List<RenewalPlan> plan(List<Outcome> outcomes) throws AcmejxException {
        List<RenewalPlan> due = new ArrayList<>();
        Instant now = Instant.now();
        for (String name : names()) {
            try {
                Lineage lineage = Lineage.of(configDir, name);
                RenewalPlan plan = RenewalPlan.of(lineage, options.force(), now);
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

    /**
     * The pre hooks, each due lineage, the post hooks. A failing pre hook stops the renewals (as certbot's does) but
     * not the post hooks; a failing hook is a line of the summary, never a reason to lose the others.
     */
    private void renewAll(List<RenewalPlan> due, Responders responders, List<Outcome> outcomes)
            throws InterruptedException {
        try {
            hooks.pre();
            for (RenewalPlan plan : due) {
                outcomes.add(renew(plan, responders));
            }
        } catch (AcmejxException e) {
            outcomes.add(new Outcome("(pre hook)", Status.FAILED, e.getMessage() + "; nothing was renewed"));
            due.forEach(plan -> outcomes.add(new Outcome(plan.lineage().name(), Status.FAILED,
                    "not renewed: the pre hook failed")));
        }
        try {
            hooks.post();
        } catch (AcmejxException e) {
            outcomes.add(new Outcome("(post hook)", Status.FAILED, e.getMessage()));
        }
    }

    private Outcome renew(RenewalPlan plan, Responders responders) throws InterruptedException {
        Lineage lineage = plan.lineage();
        try {
            IssueRequest request = plan.request(options.dryRun(), options.deployHook());
            ChallengeResponder.Opener opener = responders.forLineage(plan.conf().param("control_socket"),
                    plan.conf().param("tls_alpn_listen"));
            Issuance.Result result = new Issuance().run(request, opener, uri -> false);
            if (options.dryRun()) {
                return new Outcome(lineage.name(), Status.SIMULATED, "dry run: the CA would issue; nothing kept");
            }
            if (!result.issued()) {
                return new Outcome(lineage.name(), Status.NOT_DUE, "another acmejx renewed it meanwhile");
            }
            hooks.deploy(lineage, DomainNames.values(request.identifiers()));
            return new Outcome(lineage.name(), Status.RENEWED, "version " + result.certificate().version()
                    + ", serial " + result.certificate().serialHex() + ", until " + result.certificate().notAfter());
        } catch (AcmejxException e) {
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
