package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.Lineage;
import dev.acmejx.core.LineageInspector;
import dev.acmejx.core.LineageStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code acmejx certificates}: every lineage under {@code live/} and whether a web server could use it. It only
 * reads, and takes no lock, so it answers while an {@code issue} or {@code renew} runs; a lineage that is broken
 * in any way is listed as INVALID with the reason, never an error that hides the others.
 */
@Command(name = "certificates", mixinStandardHelpOptions = true,
        description = "List the certificates in the config dir: names, key type, serial, expiry, paths, and "
                + "whether each is usable (INVALID with the reason when expired, when the key does not match, or "
                + "when a file is missing or unreadable).",
        footer = {"", "With --json, stdout is one JSON array with an object per certificate:",
            "  name (string), domains (array of strings, the renewal conf's order), keyType (\"ECDSA P-256\", "
                    + "\"ECDSA P-384\", \"RSA 2048\", ...), serial (lower-case hex), notAfter (ISO-8601 UTC), "
                    + "daysLeft (integer, negative once expired), version (archive version live/ points at), "
                    + "fullchain and privkey (paths), valid (boolean), reason (string, null when valid).",
            "  The certificate's fields are null (domains empty) when cert.pem cannot be read."})
final class CertificatesCommand implements Callable<Integer> {

    @Option(names = "--cert-name", paramLabel = "NAME", description = "Only this lineage.")
    String certName;

    @Mixin
    ConfigDirOption configDir;

    @Mixin
    LoggingOptions logging;

    @Override
    public Integer call() throws AcmejxException {
        logging.apply();
        LineageInspector inspector = new LineageInspector(configDir.get(), Instant.now());
        List<LineageStatus> statuses = certName == null ? inspector.all()
                : List.of(inspector.inspect(Lineage.existing(configDir.get(), certName)));
        if (logging.json) {
            System.out.println(CertificatesReport.json(statuses));
        } else {
            System.out.print(CertificatesReport.human(statuses, configDir.get()));
        }
        System.out.flush();
        return 0;
    }
}
