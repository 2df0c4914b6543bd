package dev.acmejx.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One node of a test fleet: its own config dir, control socket and {@code serve} on its own loopback address (on
 * Pebble's tls-alpn-01 port, where the validator comes), plus a port on 127.0.0.1 for load.
 */
final class FleetTestNode implements AutoCloseable {

    final String name;
    final String address;
    final Path dir;
    final Path configDir;
    final Path control;
    final int loadPort;
    private final Serve serve;

    private FleetTestNode(String name, String address, Path dir, int loadPort, Serve serve) {
        this.name = name;
        this.address = address;
        this.dir = dir;
        this.configDir = dir.resolve("config");
        this.control = dir.resolve("control.sock");
        this.loadPort = loadPort;
        this.serve = serve;
    }

    /** @param fleetArgs the fleet's settings, the same for every node */
    static FleetTestNode start(String name, String address, Path parent, Pebble pebble, int backendPort,
            List<String> fleetArgs) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        Files.createDirectories(dir.resolve("config"));
        int loadPort = FreePorts.next();
        List<String> args = new ArrayList<>(List.of("--listen", address + ":" + pebble.tlsPort, "--listen",
                "127.0.0.1:" + loadPort, "--backend", "127.0.0.1:" + backendPort, "--control",
                dir.resolve("control.sock").toString(), "--config-dir", dir.resolve("config").toString(),
                "--node", name));
        args.addAll(fleetArgs);
        Serve serve = Serve.start(args.toArray(String[]::new));
        serve.awaitLine(line -> line.contains("node " + name + " of fleet"));
        return new FleetTestNode(name, address, dir, loadPort, serve);
    }

    Serve serve() {
        return serve;
    }

    /** {@code acmejx} on this node: its config dir, its control socket, its name, and the fleet's settings. */
    List<String> command(List<String> fleetArgs, String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--config-dir", configDir.toString(), "--node", name));
        command.addAll(fleetArgs);
        return command;
    }

    Path live(String lineage, String kind) {
        return configDir.resolve("live").resolve(lineage).resolve(kind + ".pem");
    }

    @Override
    public void close() {
        serve.close();
    }
}
