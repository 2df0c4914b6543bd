package dev.acmejx.core;

import dev.acmejx.core.etcd.EtcdSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What every node of a fleet is given alike ({@code --etcd…}, {@code --fleet}, {@code --fleet-key}), and the one
 * thing that is each node's own: its name in etcd ({@code --node}, the host name by default).
 *
 * @param leaseTtl how long a dead node's locks, challenges and registration outlive it
 */
public record FleetSettings(EtcdSettings etcd, String name, Path keyFile, String node, Duration leaseTtl) {

    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(10);
}
