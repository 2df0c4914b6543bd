package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.Adoption;
import dev.acmejx.core.Lineage;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code acmejx adopt}: certbot's lineages become acmejx's in place, and {@code --undo} gives one back. */
@Command(name = "adopt", mixinStandardHelpOptions = true,
        description = "Take a lineage certbot made over in place: the live paths, the archive numbering and "
                + "certbot's account stay; the renewal conf says that acmejx answers the challenges (--control, "
                + "--listen) and that certbot's timer must leave it alone; certbot's conf is kept beside it as "
                + "renewal/<name>.conf.certbot. --undo gives the lineage back to certbot.")
final class AdoptCommand implements Callable<Integer> {

    /** Which lineages: one, or every one certbot renews. */
    static final class Which {
        @Option(names = "--cert-name", paramLabel = "NAME", required = true, description = "The lineage to adopt.")
        String certName;

        @Option(names = "--all", required = true, description = "Every lineage of the config dir that certbot renews.")
        boolean all;
    }

    @ArgGroup(multiplicity = "1")
    Which which;

    @Option(names = "--undo", description = "Give the --cert-name lineage back to certbot: its conf as it was.")
    boolean undo;

    @Mixin
    CaCertOption caCert;

    @Mixin
    ResponderOptions responder;

    @Mixin
    ConfigDirOption configDir;

    @Mixin
    LoggingOptions logging;

    @Override
    public Integer call() throws AcmejxException {
        logging.apply();
        if (undo && which.all) {
            throw new AcmejxException("--undo gives back one lineage at a time: give --cert-name NAME instead of "
                    + "--all");
        }
        Adoption.Settings settings = new Adoption.Settings(responder.settings(), caCert.get());
        List<Adoption.Outcome> outcomes;
        if (which.all) {
            outcomes = Adoption.adoptAll(configDir.get().toAbsolutePath().normalize(), settings);
        } else {
            Lineage lineage = Lineage.existing(configDir.get(), which.certName);
            outcomes = List.of(undo ? Adoption.undo(lineage) : Adoption.adopt(lineage, settings));
        }
        return summarize(outcomes, System.out);
    }

    /** @return the exit code: 0 unless a lineage could not be adopted */
    static int summarize(List<Adoption.Outcome> outcomes, PrintStream out) {
        if (outcomes.isEmpty()) {
            out.println("no lineages to adopt (nothing in renewal/)");
        }
        for (Adoption.Outcome outcome : outcomes) {
            out.println(switch (outcome.result()) {
                case ADOPTED -> "done      ";
                case UNCHANGED -> "unchanged ";
                case FAILED -> "FAILED    ";
            } + outcome.name() + ": " + outcome.detail());
        }
        out.flush();
        return outcomes.stream().anyMatch(o -> o.result() == Adoption.Result.FAILED) ? ErrorReporter.FAILED : 0;
    }
}
