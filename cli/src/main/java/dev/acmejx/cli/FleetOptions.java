package dev.acmejx.cli;

import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.Fleet;
import dev.acmejx.core.FleetNodeName;
import dev.acmejx.core.FleetSettings;
import dev.acmejx.core.etcd.EtcdSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The fleet settings, the same on every node and for every command that takes part ({@code serve}, {@code issue},
 * {@code renew}, {@code fleet}); in a {@code --config} file they are the same keys without dashes. Without
 * {@code --etcd} the command is a single node's, exactly as before.
 */
final class FleetOptions {

    static final String ETCD = "--etcd";

    @Option(names = ETCD, split = ",", paramLabel = "URL",
            description = "Client URLs of the etcd cluster the fleet shares (any members; comma list), such as "
                    + "https://10.0.0.5:2379. With it, challenges, locks and certificates are the fleet's.")
    List<URI> etcd;

    @Option(names = "--etcd-ca-cert", paramLabel = "FILE", description = "PEM CA that signed the etcd members' "
            + "certificates.")
    Path caCert;

    @Option(names = "--etcd-cert", paramLabel = "FILE", description = "PEM client certificate for etcd (with "
            + "--etcd-key).")
    Path clientCert;

    @Option(names = "--etcd-key", paramLabel = "FILE", description = "PEM private key of --etcd-cert.")
    Path clientKey;

    @Option(names = "--etcd-user", paramLabel = "NAME", description = "etcd user; its password is read from "
            + "--etcd-password-file, never taken on the command line.")
    String user;

    @Option(names = "--etcd-password-file", paramLabel = "FILE", description = "File holding --etcd-user's password "
            + "(mode 0600; a trailing newline is dropped).")
    Path passwordFile;

    @Option(names = "--fleet", paramLabel = "NAME", defaultValue = "default",
            description = "The fleet's name: its keys live under /acmejx/NAME/, so one etcd holds several fleets "
                    + "(default: ${DEFAULT-VALUE}).")
    String fleet;

    @Option(names = "--fleet-key", paramLabel = "FILE",
            description = "32 random bytes, mode 0600, the same file on every node (`head -c 32 /dev/urandom`): "
                    + "every private key in etcd is sealed with it.")
    Path fleetKey;

    @Option(names = "--node", paramLabel = "NAME", description = "This node's name in the fleet (default: the host "
            + "name).")
    String node;

    @Option(names = "--fleet-lease-ttl", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How long a dead node's locks, challenges and registration outlive it (default: "
                    + "${DEFAULT-VALUE}).")
    Duration leaseTtl;

    boolean enabled() {
        return etcd != null && !etcd.isEmpty();
    }

    /** The fleet, when {@code --etcd} is given; nothing is sent to etcd yet. */
    Optional<Fleet> open() throws AcmejxException {
        if (!enabled()) {
            if (fleetKey != null || user != null || caCert != null || clientCert != null) {
                throw new AcmejxException("fleet settings were given without --etcd; add --etcd with the cluster's "
                        + "client URLs, or drop them for a single node");
            }
            return Optional.empty();
        }
        if (fleetKey == null) {
            throw new AcmejxException("--etcd needs --fleet-key FILE: the same 32-byte key on every node "
                    + "(`head -c 32 /dev/urandom > fleet.key && chmod 600 fleet.key`)");
        }
        if (leaseTtl.toSeconds() < 2) {
            throw new AcmejxException("--fleet-lease-ttl " + leaseTtl.toMillis() + "ms is too short: etcd counts "
                    + "leases in seconds; give 2s or more");
        }
        for (URI url : etcd) {
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new AcmejxException("--etcd " + url + " is not a client URL such as http://127.0.0.1:2379 or "
                        + "https://etcd1.example.com:2379; give each member's, comma-separated");
            }
        }
        requireTogether("--etcd-cert", clientCert, "--etcd-key", clientKey);
        requireTogether("--etcd-user", user, "--etcd-password-file", passwordFile);
        for (Path file : new Path[] {caCert, clientCert, clientKey, passwordFile}) {
            if (file != null && !Files.isReadable(file)) {
                throw new AcmejxException(file + " (an etcd setting) does not exist or is not readable");
            }
        }
        EtcdSettings settings = new EtcdSettings(etcd, Optional.ofNullable(caCert), Optional.ofNullable(clientCert),
                Optional.ofNullable(clientKey), Optional.ofNullable(user), Optional.ofNullable(passwordFile));
        return Optional.of(Fleet.open(new FleetSettings(settings, fleet, fleetKey,
                node != null ? node : FleetNodeName.ofThisHost(), leaseTtl)));
    }

    /** Two options that mean nothing apart: one without the other would be silently ignored, or fail later. */
    private static void requireTogether(String one, Object first, String other, Object second)
            throws AcmejxException {
        if ((first == null) != (second == null)) {
            throw new AcmejxException((first == null ? other : one) + " needs " + (first == null ? one : other)
                    + " too: give both, or neither");
        }
    }
}
