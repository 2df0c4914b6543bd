package dev.acmejx.core;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet's side of the seam: lineages live in etcd and each node's config dir is its copy. A lock is the config
 * dir's plus the fleet's ({@link FleetLock}); {@link #live} first brings the copy up to the fleet's version, so a
 * renewal that waited for another node's lock sees that node's new certificate and does not order again; {@link
 * #save} commits to etcd first, fenced, and only then writes the copy.
 */
public final class FleetLineages implements LineageStore, LineageLocker {

    private static final Logger LOG = System.getLogger("acmejx.fleet");

    private final Fleet fleet;
    private final FleetVersions versions;
    private final CertificateStore local = new CertificateStore();
    private final ResponderSettings own;

    /** @param own how this node answers challenges, for lineages its config dir does not have yet */
    public FleetLineages(Fleet fleet, ResponderSettings own) {
        this.fleet = fleet;
        this.versions = new FleetVersions(fleet);
        this.own = own;
    }

    @Override
    public LineageLock lock(Lineage lineage) throws AcmejxException, InterruptedException {
        FleetLock lock = FleetLock.acquire(fleet, lineage);
        try {
            FleetAccounts accounts = new FleetAccounts(fleet, lineage.configDir());
            if (accounts.none()) {
                lock.alsoHold(fleet, FleetKeys.FIRST_ACCOUNT);
            }
            accounts.pull();
            return lock;
        } catch (AcmejxException | InterruptedException e) {
            try {
                lock.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    @Override
    public Optional<LiveCertificate> live(Lineage lineage) throws IOException, AcmejxException {
        new FleetCopy(fleet, lineage.configDir(), own).catchUp(lineage.name());
        return local.live(lineage);
    }

    @Override
    public LiveCertificate save(LineageLock held, Lineage lineage, PrivateKey key, List<X509Certificate> chain,
            RenewalConf conf) throws IOException, AcmejxException {
        FleetVersions.Current seen = versions.current(lineage.name());
        int version = Math.max(seen.version(), local.highestArchived(lineage)) + 1;
        RenewalConf committed = commit(held, lineage, seen, version, key, chain, conf);
        return local.save(lineage, version, key, chain, committed);
    }

    /**
     * Puts {@code version} into etcd, fenced, with the account its conf names.
     *
     * @return the conf as committed, with the fleet named in it
     * @throws AcmejxException when the lock was lost or {@code current} moved since {@code seen}
     */
    RenewalConf commit(LineageLock held, Lineage lineage, FleetVersions.Current seen, int version, PrivateKey key,
            List<X509Certificate> chain, RenewalConf conf) throws AcmejxException {
        RenewalConf fleetConf = inFleet(conf);
        Optional<String> account = conf.param(ConfKeys.ACCOUNT);
        if (account.isPresent()) {
            new FleetAccounts(fleet, lineage.configDir()).push(RenewalPlan.server(conf), account.get());
        }
        if (!versions.commit(lineage.name(), seen, version, held.fence(), key, chain, fleetConf)) {
            throw new AcmejxException(lineage.name() + ": the new certificate was not committed to the fleet: this "
                    + "node's lock expired while it ordered (etcd out of reach for longer than the lease TTL, "
                    + fleet.settings().leaseTtl().toSeconds() + " s), or another node committed meanwhile; live/ is "
                    + "unchanged, run renew again");
        }
        LOG.log(Level.INFO, "{0}: version {1} committed to fleet {2}", lineage.name(), String.valueOf(version),
                fleet.settings().name());
        return fleetConf;
    }

    /** The conf with the fleet named in it, so that a renew run without the fleet settings refuses the lineage. */
    private RenewalConf inFleet(RenewalConf conf) {
        Map<String, String> params = new LinkedHashMap<>(conf.params());
        params.put(ConfKeys.FLEET, fleet.settings().name());
        return conf.withParams(params);
    }
}
