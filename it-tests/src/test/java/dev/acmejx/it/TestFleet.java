package dev.acmejx.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The nodes of one test's fleet in a {@link FleetWorld}, and what a test does with them; stopped by {@link #close}. */
final class TestFleet implements AutoCloseable {

    static final Duration PROPAGATION = Duration.ofSeconds(10);

    private final FleetWorld world;
    private final String name;
    private final List<String> args;
    private final List<FleetTestNode> nodes = new ArrayList<>();

    /** @param args the fleet settings every node and command of this fleet is given */
    TestFleet(FleetWorld world, String name, List<String> args) {
        this.world = world;
        this.name = name;
        this.args = List.copyOf(args);
    }

    String name() {
        return name;
    }

    List<String> args() {
        return args;
    }

    List<FleetTestNode> nodes() {
        return nodes;
    }

    FleetTestNode add(String node, String address) throws IOException {
        FleetTestNode started = FleetTestNode.start(node, address, world.dir().resolve(name), world.pebble(),
                world.nginx().port, args);
        nodes.add(started);
        return started;
    }

    Command.Result status() {
        List<String> status = new ArrayList<>(List.of("fleet", "status"));
        status.addAll(args);
        return Acmejx.run(status);
    }

    /** One line per deploy hook run, on whichever node: the live directory it ran for. */
    Path hooks() {
        return world.dir().resolve(name).resolve("hooks");
    }

    List<String> hookRuns() {
        try {
            return Files.exists(hooks()) ? Files.readAllLines(hooks()) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FleetTestNode node(int i) {
        return nodes.get(i);
    }

    Command.Result run(FleetTestNode on, String... args) {
        return Acmejx.run(on.command(this.args, args));
    }

    /**
     * {@code issue} on {@code on}, through its own serve, with the validator sent to the fleet's last node (another
     * node than {@code on} when there are two or more), and a deploy hook that records where it ran.
     */
    Command.Result issue(FleetTestNode on, String lineage) throws IOException, InterruptedException {
        return Acmejx.run(issueArguments(on, lineage));
    }

    List<String> issueArguments(FleetTestNode on, String lineage) throws IOException, InterruptedException {
        world.pebble().resolve(lineage, nodes.get(nodes.size() - 1).address);
        List<String> extra = new ArrayList<>(List.of("-d", lineage, "--deploy-hook", "echo \"$RENEWED_LINEAGE\" >> "
                + hooks(), "--node", on.name));
        extra.addAll(args);
        return Acmejx.issueArguments(on.control, world.pebble(), on.configDir, extra.toArray(String[]::new));
    }

    /** {@code renew --force-renewal} of one lineage on {@code on}, started and left running. */
    Background renew(FleetTestNode on, String lineage) throws IOException {
        return Background.start(Acmejx.command(on.command(args, "renew", "--cert-name", lineage,
                "--force-renewal", "--no-random-sleep-on-renew")));
    }

    /** {@link #issue} on the first node, then waits until every node has it live; returns its certificate. */
    byte[] issueEverywhere(String lineage) throws IOException, InterruptedException {
        issue(nodes.get(0), lineage).assertSuccess();
        byte[] cert = Files.readAllBytes(nodes.get(0).live(lineage, "cert"));
        awaitEverywhere(lineage, cert);
        return cert;
    }

    /** Every node's live certificate is {@code expected}, each written by that node itself. */
    void awaitEverywhere(String lineage, byte[] expected) throws InterruptedException {
        for (FleetTestNode node : nodes) {
            Eventually.holds(node.name + " has the fleet's certificate for " + lineage, PROPAGATION,
                    () -> Arrays.equals(expected, read(node.live(lineage, "cert"))));
        }
    }

    @Override
    public void close() {
        nodes.forEach(FleetTestNode::close);
    }

    private static byte[] read(Path file) {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
