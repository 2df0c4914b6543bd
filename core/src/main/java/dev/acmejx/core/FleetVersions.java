package dev.acmejx.core;

import dev.acmejx.core.etcd.EtcdException;
import dev.acmejx.core.etcd.KeyValue;
import dev.acmejx.core.etcd.Txn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A fleet lineage's versions in etcd: read one, or commit a new one in a single transaction that holds only while
 * the committer's lock does and {@code current} is still what it read, so no lock holder that lost its lease can
 * overwrite a newer version.
 */
final class FleetVersions {

    /** {@code current} as read: the version and the revision it was written at (0: no version yet). */
    record Current(int version, long modRevision) {
        static final Current NONE = new Current(0, 0);
    }

    /** One version, opened: what a node writes into its config dir. */
    record Stored(int version, PrivateKey key, List<X509Certificate> chain, byte[] conf) {
    }

    private final Fleet fleet;

    FleetVersions(Fleet fleet) {
        this.fleet = fleet;
    }

    Current current(String lineage) throws EtcdException {
        Optional<KeyValue> kv = fleet.client().get(fleet.keys().current(lineage));
        if (kv.isEmpty()) {
            return Current.NONE;
        }
        OptionalInt version = FleetKeys.versionNumber(kv.get().text());
        if (version.isEmpty()) {
            throw new EtcdException(kv.get().key() + " in etcd holds '" + kv.get().text() + "', not a version number");
        }
        return new Current(version.getAsInt(), kv.get().modRevision());
    }

    /** @throws AcmejxException when a part is missing or does not open with this node's fleet key */
    Stored read(String lineage, int version) throws AcmejxException {
        FleetKeys keys = fleet.keys();
        byte[] cert = part(keys.version(lineage, version, FleetKeys.CERT));
        byte[] chain = part(keys.version(lineage, version, FleetKeys.CHAIN));
        String keyPath = keys.version(lineage, version, FleetKeys.PRIVKEY);
        byte[] conf = part(keys.conf(lineage));
        try {
            PrivateKey key = PrivateKeyFile.parse(fleet.key().open(keyPath, part(keyPath)));
            List<X509Certificate> certificates = new ArrayList<>(Pem.readCertificates(cert));
            certificates.addAll(Pem.readCertificates(chain));
            return new Stored(version, key, certificates, conf);
        } catch (IOException | CertificateException e) {
            throw new AcmejxException("version " + version + " of " + lineage + " in etcd is unreadable: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Writes version {@code version} and moves {@code current} to it, all at one revision, if the lock {@code fence}
     * names is still held and {@code current} is still {@code seen}.
     *
     * @return whether it was written
     */
    boolean commit(String lineage, Current seen, int version, long fence, PrivateKey key, List<X509Certificate> chain,
            RenewalConf conf) throws EtcdException {
        FleetKeys keys = fleet.keys();
        String keyPath = keys.version(lineage, version, FleetKeys.PRIVKEY);
        Txn txn = new Txn().whenCreated(keys.lock(lineage), fence).whenModified(keys.current(lineage), seen.modRevision())
                .thenPut(keys.version(lineage, version, FleetKeys.CERT), Pem.certificates(chain.subList(0, 1)), 0)
                .thenPut(keys.version(lineage, version, FleetKeys.CHAIN),
                        Pem.certificates(chain.subList(1, chain.size())), 0)
                .thenPut(keyPath, fleet.key().seal(keyPath, Pem.privateKey(key)), 0)
                .thenPut(keys.conf(lineage), FleetConf.shared(conf), 0)
                .thenPut(keys.current(lineage), Integer.toString(version).getBytes(StandardCharsets.US_ASCII), 0);
        return fleet.client().commit(txn).succeeded();
    }

    private byte[] part(String key) throws AcmejxException {
        return fleet.client().get(key).orElseThrow(() -> new AcmejxException(key + " is missing in etcd at "
                + fleet.client().settings().describe() + "; `acmejx fleet push` the lineage again from a node that "
                + "has it")).value();
    }
}
