package dev.acmejx.cli;

import dev.acmejx.core.Version;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The top-level {@code acmejx} command; the work is done by its subcommands. */
@Command(name = "acmejx",
        mixinStandardHelpOptions = true,
        versionProvider = AcmejxCommand.VersionProvider.class,
        description = "Gets and renews TLS certificates with ACME (RFC 8555) by answering tls-alpn-01 on :443, "
                + "in front of the web server that already runs there.")
public final class AcmejxCommand extends CommandGroup {

    /**
     * The subcommands, in the order help lists them. Not in {@code @Command(subcommands)}: picocli would build
     * every one's model (reflection over all their options) on every start, and a no-op {@code renew} from a
     * timer should pay for its own only; {@link Main} adds what a command line needs.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(IssueCommand.class, RenewCommand.class, ServeCommand.class,
            ChallengeCommand.class, CertificatesCommand.class, RevokeCommand.class, DeleteCommand.class,
            AccountCommand.class, AdoptCommand.class, FleetCommand.class);

    /** {@code acmejx --version}: the build's version and the Java running it. */
    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"acmejx " + Version.VALUE,
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
