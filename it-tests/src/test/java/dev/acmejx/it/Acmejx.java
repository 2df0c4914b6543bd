package dev.acmejx.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The acmejx command as a user runs it: its own JVM, the built jar, real arguments. */
final class Acmejx {

    private Acmejx() {
    }

    static Command.Result run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-jar", Paths.jar().toString()));
        command.addAll(args);
        return Command.run(command, Map.of(), Duration.ofMinutes(3));
    }

    /**
     * {@code issue} against {@code pebble}, answering on its tls-alpn-01 port itself, plus {@code extra}; the
     * control socket it looks for first is one no serve listens on.
     */
    static Command.Result issue(Pebble pebble, Path configDir, String... extra) {
        return issueThrough(configDir.resolveSibling("no-serve-here.sock"), pebble, configDir, extra);
    }

    /** {@code issue} with {@code --control control}: through the serve listening there, if one does. */
    static Command.Result issueThrough(Path control, Pebble pebble, Path configDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("issue", "--server", pebble.directory.toString(),
                "--ca-cert", pebble.caCert.toString(), "--config-dir", configDir.toString(),
                "--listen", "127.0.0.1:" + pebble.tlsPort, "--control", control.toString(), "--agree-tos",
                "--non-interactive", "-m", "it@example.org"));
        args.addAll(List.of(extra));
        return run(args);
    }
}
