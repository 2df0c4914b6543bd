package dev.acmejx.core;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Where a lineage's versions are kept, as CertMagic's {@code Storage} states its contract. Two implementations:
 * the config dir alone ({@link CertificateStore}), and a fleet's etcd with the config dir as each node's copy.
 * Either way, nginx reads {@code live/} in the config dir, and it only ever sees a complete version.
 */
public interface LineageStore {

    /**
     * The newest complete version, live in the config dir when this returns (a store that is not the config dir
     * brings the config dir up to date first).
     *
     * @return empty when the lineage has no version yet
     */
    Optional<LiveCertificate> live(Lineage lineage) throws IOException, AcmejxException;

    /**
     * Stores a new version and makes it live, all of it or none: until this returns, readers of every copy see the
     * previous version. Refused when {@code held} is no longer held, so a holder that lost its lock while it
     * ordered can never overwrite the work of the next holder.
     *
     * @param chain the leaf first, then the intermediates as the CA sent them
     */
    LiveCertificate save(LineageLock held, Lineage lineage, PrivateKey key, List<X509Certificate> chain,
            RenewalConf conf) throws IOException, AcmejxException;
}
