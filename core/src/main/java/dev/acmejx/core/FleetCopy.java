package dev.acmejx.core;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Writes a fleet lineage's newest version into this node's config dir, under the fleet's version number, with the
 * store's usual atomic moves and permissions, then runs the lineage's deploy hook here (so each node reloads its own
 * nginx). The caller holds the config dir's lock.
 */
public final class FleetCopy {

    private static final Logger LOG = System.getLogger("acmejx.fleet");

    private final Fleet fleet;
    private final FleetVersions versions;
    private final Path configDir;
    private final ResponderSettings own;
    private final CertificateStore store = new CertificateStore();

    /** @param own how this node answers challenges, written into its conf of each lineage it did not have yet */
    public FleetCopy(Fleet fleet, Path configDir, ResponderSettings own) {
        this.fleet = fleet;
        this.versions = new FleetVersions(fleet);
        this.configDir = configDir;
        this.own = own;
    }

    /**
     * Brings {@code name} up to the fleet's current version, if this node is behind.
     *
     * @return the version this node now has live, empty when the fleet has none
     */
    public Optional<Integer> catchUp(String name) throws AcmejxException, IOException {
        Lineage lineage = Lineage.of(configDir, name);
        FleetVersions.Current current = versions.current(name);
        if (current.version() == 0) {
            return Optional.empty();
        }
        Optional<LiveCertificate> live = store.live(lineage);
        if (live.isPresent() && live.get().version() >= current.version()) {
            return Optional.of(live.get().version());
        }
        FleetVersions.Stored stored = versions.read(name, current.version());
        RenewalConf conf = FleetConf.local(stored.conf(), lineage, ownResponder(lineage));
        new FleetAccounts(fleet, configDir).pull();
        store.save(lineage, stored.version(), stored.key(), stored.chain(), conf);
        LOG.log(Level.INFO, "{0}: version {1} from the fleet is live in {2}", name, String.valueOf(stored.version()),
                lineage.liveDir());
        try {
            Optional<String> hook = conf.param(ConfKeys.DEPLOY_HOOK);
            if (hook.isPresent()) {
                DeployHook.run(hook.get(), lineage, names(conf));
            }
        } finally {
            store.deployed(lineage);
        }
        return Optional.of(stored.version());
    }

    /** Every lineage the fleet has, brought up to date; one that fails is logged and does not stop the others. */
    public void catchUpAll() throws AcmejxException {
        for (String name : fleetLineages()) {
            try {
                catchUp(name);
            } catch (AcmejxException | IOException e) {
                LOG.log(Level.WARNING, "{0}: cannot bring this node up to the fleet''s version: {1}", name,
                        e.getMessage());
            }
        }
    }

    /** The names of every lineage with a {@code current} in etcd. */
    private List<String> fleetLineages() throws AcmejxException {
        return fleet.client().prefix(fleet.keys().lineages()).kvs().stream()
                .map(kv -> fleet.keys().lineageOfCurrent(kv.key()))
                .flatMap(Optional::stream).sorted().toList();
    }

    /** A node keeps the responder its own conf already names; a lineage new to it gets this node's. */
    private ResponderSettings ownResponder(Lineage lineage) throws IOException {
        return Files.exists(lineage.renewalConf()) ? ResponderSettings.read(RenewalConf.read(lineage.renewalConf()))
                : own;
    }

    private static List<String> names(RenewalConf conf) {
        return conf.param(ConfKeys.DOMAINS).map(d -> Arrays.asList(d.split(",\\s*"))).orElse(List.of());
    }
}
