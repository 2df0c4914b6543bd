package dev.acmejx.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;

/**
 * What the fleet tests of one class share: a real 3-member etcd on loopback, Pebble, nginx as every node's backend,
 * and the fleet key. Each test gets a fleet of its own in it ({@link #fleet}), so the tests share nothing but the
 * processes.
 */
final class FleetWorld implements AutoCloseable {

    private final Path dir;
    private final Path fleetKey;
    private final EtcdCluster etcd;
    private final Pebble pebble;
    private final Nginx nginx;
    private int fleets;

    private FleetWorld(Path dir, Path fleetKey, EtcdCluster etcd, Pebble pebble, Nginx nginx) {
        this.dir = dir;
        this.fleetKey = fleetKey;
        this.etcd = etcd;
        this.pebble = pebble;
        this.nginx = nginx;
    }

    static FleetWorld start() throws IOException {
        Path dir = Files.createTempDirectory("acmejx-fleet");
        Path fleetKey = dir.resolve("fleet.key");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.write(fleetKey, key);
        Files.setPosixFilePermissions(fleetKey, PosixFilePermissions.fromString("rw-------"));
        EtcdCluster etcd = null;
        Pebble pebble = null;
        try {
            etcd = EtcdCluster.start(3);
            pebble = Pebble.start();
            return new FleetWorld(dir, fleetKey, etcd, pebble, Nginx.start());
        } catch (IOException | RuntimeException e) {
            try (EtcdCluster e1 = etcd; Pebble p = pebble) {
                TempDirs.delete(dir);
            }
            throw e;
        }
    }

    /** A fleet of its own, named f1, f2, ..., with a node on 127.0.0.2, .3, ... for each name given. */
    TestFleet fleet(String... nodes) throws IOException {
        String name = "f" + ++fleets;
        TestFleet fleet = new TestFleet(this, name, List.of("--etcd", etcd.endpoints(), "--fleet-key",
                fleetKey.toString(), "--fleet", name, "--fleet-lease-ttl", "2s"));
        for (int i = 0; i < nodes.length; i++) {
            fleet.add(nodes[i], "127.0.0." + (2 + i));
        }
        return fleet;
    }

    Path dir() {
        return dir;
    }

    EtcdCluster etcd() {
        return etcd;
    }

    Pebble pebble() {
        return pebble;
    }

    Nginx nginx() {
        return nginx;
    }

    @Override
    public void close() {
        try (EtcdCluster e = etcd; Pebble p = pebble; Nginx n = nginx) {
            TempDirs.delete(dir);
        }
    }
}
