package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.Lineage;
import dev.acmejx.core.Revocation;
import dev.acmejx.core.RevocationTarget;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.shredzone.acme4j.RevocationReason;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code acmejx revoke}: certbot's options, the account stored for the certificate's CA, no files removed. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Revoke a certificate with the account stored for its CA. For --cert-name the CA is the one "
                + "in renewal/<name>.conf (server, ca_cert), as for a --cert-path inside a lineage; --server and "
                + "--ca-cert override it. The files stay; `acmejx delete` removes them.")
final class RevokeCommand implements Callable<Integer> {

    /** Exactly one way to say which certificate. */
    static final class Which {

        @Option(names = "--cert-name", required = true, paramLabel = "NAME",
                description = "The lineage whose live certificate is revoked.")
        String certName;

        @Option(names = "--cert-path", required = true, paramLabel = "PATH",
                description = "A PEM certificate file (cert.pem, fullchain.pem, or an archived version).")
        Path certPath;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--reason", paramLabel = "REASON", defaultValue = "unspecified",
            description = "unspecified, keycompromise, affiliationchanged, superseded or cessationofoperation "
                    + "(default: ${DEFAULT-VALUE}).")
    String reason;

    @Mixin
    ServerOptions server;

    @Mixin
    LoggingOptions logging;

    @Override
    public Integer call() throws AcmejxException {
        logging.apply();
        RevocationReason revocationReason = Revocation.reason(reason);
        RevocationTarget target = which.certName != null
                ? RevocationTarget.ofLineage(Lineage.existing(server.configDir(), which.certName),
                        server.explicitServer(), server.caCert())
                : RevocationTarget.ofFile(server.configDir(), which.certPath, server.explicitServer(),
                        server.caCert());
        Revocation.revoke(server.configDir(), target, revocationReason);
        System.out.printf("Revoked the certificate with serial %s (%s), reason %s.%n",
                target.certificate().getSerialNumber().toString(16), target.source(), reason);
        System.out.flush();
        return 0;
    }
}
