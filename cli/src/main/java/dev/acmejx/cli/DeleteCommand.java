package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.Lineage;
import dev.acmejx.core.LineageRemoval;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code acmejx delete}: a lineage's files, after asking; certbot's command of the same name. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete a certificate's files: renewal/<name>.conf (and acmejx's state and certbot's kept "
                + "conf beside it), live/<name>/ and archive/<name>/, "
                + "holding the config dir's lock. Asks first at a terminal; -n deletes without asking. The "
                + "certificate is not revoked (`acmejx revoke` does that) and a web server still pointed at "
                + "live/<name>/ will fail to load it.")
final class DeleteCommand implements Callable<Integer> {

    @Option(names = "--cert-name", required = true, paramLabel = "NAME", description = "The lineage to delete.")
    String certName;

    @Option(names = {"-n", "--non-interactive"}, description = "Delete without asking.")
    boolean nonInteractive;

    @Mixin
    ConfigDirOption configDir;

    @Mixin
    LoggingOptions logging;

    @Override
    public Integer call() throws AcmejxException {
        logging.apply();
        Lineage lineage = Lineage.existing(configDir.get(), certName);
        new ConsoleConfirmation(nonInteractive).confirm("Delete the certificate " + lineage.name() + " ("
                + LineageRemoval.paths(lineage).stream().filter(path -> Files.exists(path, LinkOption.NOFOLLOW_LINKS))
                        .map(Path::toString).collect(Collectors.joining(", "))
                + ")");
        LineageRemoval.remove(lineage);
        System.out.println("Deleted the certificate " + lineage.name() + ".");
        System.out.flush();
        return 0;
    }
}
