package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.RenewalHooks;
import dev.acmejx.core.Renewals;
import dev.acmejx.core.ResponderSettings;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code acmejx renew}: what a cron job or systemd timer runs twice a day, with certbot's options. */
@Command(name = "renew", mixinStandardHelpOptions = true,
        description = "Renew every certificate that is due (or --cert-name), repeating each lineage's stored order: "
                + "names, key, server, --ca-cert, the serve it went through, hooks.")
final class RenewCommand implements Callable<Integer> {

    /** certbot's spread: a timer fires on the hour on many machines, the CA should not see them all at once. */
    private static final Duration MAX_RANDOM_SLEEP = Duration.ofMinutes(8);

    @Option(names = "--cert-name", paramLabel = "NAME", description = "Only this lineage.")
    String certName;

    @Option(names = "--force-renewal", description = "Renew even what is not due.")
    boolean forceRenewal;

    @Option(names = "--dry-run", description = "Order and validate, keep nothing: no file changes, no deploy hook.")
    boolean dryRun;

    @Option(names = "--deploy-hook", paramLabel = "CMD",
            description = "Run after each renewed lineage instead of its own, with RENEWED_LINEAGE and RENEWED_DOMAINS.")
    String deployHook;

    @Option(names = "--pre-hook", paramLabel = "CMD", description = "Run once before the first renewal, if any is due.")
    String preHook;

    @Option(names = "--post-hook", paramLabel = "CMD", description = "Run once after the renewals, if any was due.")
    String postHook;

    @Option(names = "--no-random-sleep-on-renew",
            description = "Do not sleep a random 0-8 minutes before renewing when not run from a terminal.")
    boolean noRandomSleep;

    @Mixin
    ConfigDirOption configDir;

    @Mixin
    FleetOptions fleet;

    @Mixin
    ConfigFileOption config;

    @Mixin
    LoggingOptions logging;

    @Override
    public Integer call() throws AcmejxException, InterruptedException {
        // Quiet, logging starts only once something is due: a no-op run from a timer never pays for it.
        if (!logging.quiet) {
            logging.apply();
        }
        FleetRuns runs = new FleetRuns(fleet.open());
        runs.catchUp(configDir.get());
        Renewals renewals = new Renewals(configDir.get(), new Renewals.Options(Optional.ofNullable(certName),
                forceRenewal, dryRun, Optional.ofNullable(deployHook), logging.quiet),
                new RenewalHooks(configDir.get().toAbsolutePath(), Optional.ofNullable(preHook),
                        Optional.ofNullable(postHook)), runs.issuance(ResponderSettings.DEFAULT), runs.fleetName());
        List<Renewals.Outcome> outcomes = renewals.run(runs::responders, () -> {
            if (logging.quiet) {
                logging.apply();
            }
            randomSleep();
        });
        return logging.quiet ? summarizeFailures(outcomes, System.err) : summarize(outcomes, System.out);
    }

    /** Not on a terminal, a run started by a timer sleeps first, unless told not to; only when something is due. */
    private void randomSleep() throws InterruptedException {
        if (noRandomSleep || System.console() != null) {
            return;
        }
        long seconds = ThreadLocalRandom.current().nextLong(MAX_RANDOM_SLEEP.toSeconds() + 1);
        System.getLogger("acmejx.renew").log(Level.INFO, "sleeping {0} s before renewing, to spread the load on the CA "
                + "(--no-random-sleep-on-renew skips this)", String.valueOf(seconds));
        Thread.sleep(Duration.ofSeconds(seconds).toMillis());
    }

    /** With {@code -q}, as certbot: nothing unless something failed, then only that, on stderr. */
    static int summarizeFailures(List<Renewals.Outcome> outcomes, PrintStream err) {
        List<Renewals.Outcome> failed = outcomes.stream().filter(o -> o.status() == Renewals.Status.FAILED).toList();
        failed.forEach(outcome -> err.println("acmejx: renewing " + outcome.name() + " failed: " + outcome.detail()));
        return failed.isEmpty() ? 0 : ErrorReporter.FAILED;
    }

    /** @return the exit code: 0 when every lineage came through */
    static int summarize(List<Renewals.Outcome> outcomes, PrintStream out) {
        if (outcomes.isEmpty()) {
            out.println("no certificates to renew (nothing in renewal/)");
        }
        for (Renewals.Outcome outcome : outcomes) {
            out.println(switch (outcome.status()) {
                case RENEWED -> "renewed   ";
                case SIMULATED -> "dry run   ";
                case NOT_DUE -> "not due   ";
                case CERTBOTS -> "certbot's ";
                case FAILED -> "FAILED    ";
            } + outcome.name() + ": " + outcome.detail().replace("\n", "\n    "));
        }
        long failed = outcomes.stream().filter(o -> o.status() == Renewals.Status.FAILED).count();
        long renewed = outcomes.stream().filter(o -> o.status() == Renewals.Status.RENEWED).count();
        out.println(renewed + " renewed, " + failed + " failed, " + (outcomes.size() - renewed - failed) + " other");
        return failed == 0 ? 0 : ErrorReporter.FAILED;
    }
}
