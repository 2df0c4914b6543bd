package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.Fleet;
import dev.acmejx.core.FleetPush;
import dev.acmejx.core.FleetStatus;
import dev.acmejx.core.Lineage;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code acmejx fleet status|push}: the fleet as etcd holds it, and a node's lineage moved into it. */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "Show the fleet (nodes, lineage versions, locks) or move a lineage into it.",
        subcommands = {FleetCommand.Status.class, FleetCommand.Push.class})
final class FleetCommand extends CommandGroup {

    /** What both subcommands need: the fleet, which they cannot do without. */
    abstract static class FleetCall implements Callable<Integer> {

        @Mixin
        FleetOptions fleet;

        @Mixin
        ConfigFileOption config;

        @Mixin
        LoggingOptions logging;

        @Override
        public Integer call() throws AcmejxException, InterruptedException {
            logging.apply();
            if (!fleet.enabled()) {
                throw new AcmejxException("acmejx fleet needs " + FleetOptions.ETCD + " URL and --fleet-key FILE, "
                        + "as serve, issue and renew get them");
            }
            return run(fleet.open().orElseThrow());
        }

        abstract int run(Fleet fleet) throws AcmejxException, InterruptedException;
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The registered nodes with the version each has live, every lineage's version in etcd, "
                    + "and who holds which lock.")
    static final class Status extends FleetCall {

        @Override
        int run(Fleet fleet) throws AcmejxException {
            print(fleet.settings().name(), FleetStatus.read(fleet), System.out);
            return 0;
        }

        static void print(String name, FleetStatus status, PrintStream out) {
            out.println("fleet " + name + ": " + status.nodes().size() + " nodes, " + status.lineages().size()
                    + " lineages, " + status.locks().size() + " locks held");
            status.nodes().forEach((node, info) -> out.println("node    " + node + " (since " + info.since() + ")"));
            status.lineages().forEach((lineage, version) -> out.println("lineage " + lineage + ": version " + version
                    + " in etcd; " + perNode(lineage, version, status.nodes())));
            status.locks().forEach((lineage, holder) -> out.println("lock    " + lineage + ": held by " + holder));
        }

        private static String perNode(String lineage, int version, Map<String, FleetStatus.Node> nodes) {
            StringBuilder line = new StringBuilder();
            nodes.forEach((node, info) -> {
                Integer has = info.versions().get(lineage);
                line.append(line.length() == 0 ? "" : ", ").append(node).append(' ')
                        .append(has == null ? "none" : has == version ? has.toString() : has + " (behind)");
            });
            return line.length() == 0 ? "no node registered" : line.toString();
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Move a lineage of this node's config dir into the fleet: its live version, conf and "
                    + "account. Every node's serve then writes it into its own config dir.")
    static final class Push extends FleetCall {

        @Option(names = "--cert-name", required = true, paramLabel = "NAME", description = "The lineage to push.")
        String certName;

        @Mixin
        ConfigDirOption configDir;

        @Override
        int run(Fleet fleet) throws AcmejxException, InterruptedException {
            int version = new FleetPush(fleet).push(Lineage.existing(configDir.get(), certName));
            System.out.println(certName + ": version " + version + " is in fleet " + fleet.settings().name());
            return 0;
        }
    }
}
