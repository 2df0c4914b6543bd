package dev.acmejx.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config-dir}, for every command that reads or writes the certificate store. */
public final class ConfigDirOption {

    @Option(names = "--config-dir", paramLabel = "DIR", defaultValue = "/etc/letsencrypt",
            description = "Where accounts and certificates live (default: ${DEFAULT-VALUE}).")
    Path configDir;

    Path get() {
        return configDir;
    }
}
