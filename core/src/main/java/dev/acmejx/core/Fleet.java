package dev.acmejx.core;

import dev.acmejx.core.etcd.EtcdClient;
import dev.acmejx.core.etcd.EtcdOutage;

/**
 * One node's connection to its fleet: the etcd client, the fleet's keys and its sealing key, and this node's name.
 * Opening it reads the fleet key and validates the names; it sends nothing to etcd.
 */
public final class Fleet {

    private final FleetSettings settings;
    private final EtcdClient client;
    private final FleetKeys keys;
    private final FleetKey key;
    private final EtcdOutage outage;

    private Fleet(FleetSettings settings, EtcdClient client, FleetKeys keys, FleetKey key) {
        this.settings = settings;
        this.client = client;
        this.keys = keys;
        this.key = key;
        this.outage = new EtcdOutage(settings.etcd());
    }

    public static Fleet open(FleetSettings settings) throws AcmejxException {
        FleetKeys keys = FleetKeys.of(settings.name());
        if (!FleetKeys.segment(settings.node())) {
            throw new AcmejxException("node name '" + settings.node() + "' is not usable in etcd: letters, digits, "
                    + "'.', '_' and '-' (--node)");
        }
        FleetKey key = FleetKey.read(settings.keyFile());
        return new Fleet(settings, EtcdClient.connect(settings.etcd()), keys, key);
    }

    public FleetSettings settings() {
        return settings;
    }

    public EtcdClient client() {
        return client;
    }

    public FleetKeys keys() {
        return keys;
    }

    FleetKey key() {
        return key;
    }

    public String node() {
        return settings.node();
    }

    /** Shared by every watch and lease of this process, so an outage is logged once. */
    public EtcdOutage outage() {
        return outage;
    }
}
