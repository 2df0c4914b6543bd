package dev.acmejx.cli;

import dev.acmejx.core.AcmeSessions;
import dev.acmejx.core.AcmejxException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which ACME server a command talks to and how it trusts it ({@code --server}, {@code --staging},
 * {@code --ca-cert}), and the config dir whose account it uses: the same options, checked the same way, in every
 * command that talks to a CA.
 */
public final class ServerOptions {

    @Option(names = "--server", paramLabel = "URL", description = "ACME directory URL (default: Let's Encrypt).")
    URI server;

    @Option(names = "--staging", description = "Use Let's Encrypt's staging server.")
    boolean staging;

    @Mixin
    CaCertOption caCert;

    @Mixin
    ConfigDirOption configDir;

    /** The server the user named, or Let's Encrypt's production server, certbot's default. */
    URI server() throws AcmejxException {
        return explicitServer().orElse(AcmeSessions.LETS_ENCRYPT);
    }

    /** The server only when {@code --server} or {@code --staging} named one, for commands with another default. */
    Optional<URI> explicitServer() throws AcmejxException {
        if (staging && server != null) {
            throw new AcmejxException("--staging and --server " + server + " contradict each other; give one");
        }
        return staging ? Optional.of(AcmeSessions.LETS_ENCRYPT_STAGING) : Optional.ofNullable(server);
    }

    Optional<Path> caCert() throws AcmejxException {
        return caCert.get();
    }

    Path configDir() {
        return configDir.get();
    }
}
