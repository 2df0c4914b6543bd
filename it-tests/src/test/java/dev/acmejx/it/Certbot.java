package dev.acmejx.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's real certbot on a config dir of a test's own, trusting {@code pebble}'s HTTPS as acmejx does with
 * {@code --ca-cert}, with its work and log dirs in {@code workDir}.
 */
final class Certbot {

    private final Pebble pebble;
    private final Path configDir;
    private final Path workDir;

    Certbot(Pebble pebble, Path configDir, Path workDir) {
        this.pebble = pebble;
        this.configDir = configDir;
        this.workDir = workDir;
    }

    /** A lineage made as a certbot user makes one: standalone http-01, on the port Pebble validates. */
    Command.Result certonly(String certName, String... domains) {
        List<String> args = new ArrayList<>(List.of("certonly", "--standalone", "--http-01-address", "127.0.0.1",
                "--http-01-port", String.valueOf(pebble.httpPort), "--server", pebble.directory.toString(),
                "--cert-name", certName, "--agree-tos", "-m", "it@example.org", "--no-eff-email"));
        for (String domain : domains) {
            args.addAll(List.of("-d", domain));
        }
        return run(args.toArray(String[]::new));
    }

    Command.Result run(String... args) {
        List<String> command = new ArrayList<>(List.of("certbot", "--non-interactive", "--config-dir",
                configDir.toString(), "--work-dir", workDir.resolve("work").toString(),
                "--logs-dir", workDir.resolve("logs").toString()));
        command.addAll(List.of(args));
        return Command.run(command, Map.of("REQUESTS_CA_BUNDLE", pebble.caCert.toString()), Duration.ofMinutes(2));
    }
}
