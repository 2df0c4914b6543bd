package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --ca-cert}, for every command that talks to a CA or records how to. */
final class CaCertOption {

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "Extra PEM roots to trust for the ACME server's HTTPS (e.g. Pebble's, a private CA's).")
    Path caCert;

    /** @throws AcmejxException when the file is given and cannot be read */
    Optional<Path> get() throws AcmejxException {
        if (caCert != null && !Files.isReadable(caCert)) {
            throw new AcmejxException("--ca-cert " + caCert + " does not exist or is not readable");
        }
        return Optional.ofNullable(caCert);
    }
}
