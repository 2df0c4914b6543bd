package dev.acmejx.core;

import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.lang.System.Logger.Level;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * {@code acmejx fleet push}: moves a lineage of this node's config dir into the fleet, its live version, conf and
 * account, under the fleet's lock and with the same fenced commit a renewal makes. From then on every node has it,
 * and renewals of it are the fleet's.
 */
public final class FleetPush {

    private static final Logger LOG = System.getLogger("acmejx.fleet");

    private final Fleet fleet;

    public FleetPush(Fleet fleet) {
        this.fleet = fleet;
    }

    /** @return the version the fleet now has */
    public int push(Lineage lineage) throws AcmejxException, InterruptedException {
        FleetLineages store = new FleetLineages(fleet, ResponderSettings.DEFAULT);
        try (LineageLock lock = store.lock(lineage)) {
            CertificateStore local = new CertificateStore();
            LiveCertificate live = local.live(lineage).orElseThrow(() -> new AcmejxException(lineage.name()
                    + " has no live certificate in " + lineage.liveDir() + "; issue it first"));
            FleetVersions.Current current = new FleetVersions(fleet).current(lineage.name());
            if (current.version() != 0) {
                throw new AcmejxException(lineage.name() + " is in fleet " + fleet.settings().name() + " already "
                        + "(version " + current.version() + "); its renewals are the fleet's, nothing to push");
            }
            PrivateKey key = PrivateKeyFile.read(lineage.live("privkey"));
            List<X509Certificate> chain = Pem.readCertificates(Files.readAllBytes(lineage.live("fullchain")));
            RenewalConf conf = RenewalConf.read(lineage.renewalConf());
            store.commit(lock, lineage, current, live.version(), key, chain, conf).write(lineage.renewalConf());
            LOG.log(Level.INFO, "{0}: version {1} is the fleet''s now", lineage.name(), String.valueOf(live.version()));
            return live.version();
        } catch (IOException | CertificateException e) {
            throw new AcmejxException("cannot push " + lineage.name() + " from " + lineage.configDir() + ": "
                    + e.getMessage(), e);
        }
    }
}
