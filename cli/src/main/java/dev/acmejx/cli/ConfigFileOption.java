package dev.acmejx.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}, for the commands whose settings a node keeps in a file: serve's listeners and routes, and
 * the fleet settings every node's serve, issue, renew and fleet share. {@link Main} reads the file before picocli
 * parses the command line ({@link ConfigFileDefaults}); the field only makes the option known and documented.
 */
final class ConfigFileOption {

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML with this command's settings under their long option names without dashes "
                    + "(listen: [..], backend: .., etcd: [..], fleet-key: ..); flags override.")
    Path config;
}
