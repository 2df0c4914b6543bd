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
        return run(args, Map.of());
    }

    /** @param environment added to this JVM's environment for the command */
    static Command.Result run(List<String> args, Map<String, String> environment) {
        return Command.run(command(args), environment, Duration.ofMinutes(3));
    }

    /** The whole command line that runs acmejx with {@code args}, for a test that starts it its own way. */
    static List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-jar", Paths.jar().toString()));
        command.addAll(args);
        return command;
    }

    /**
     * {@code issue} against {@code pebble}, answering on its tls-alpn-01 port itself, plus {@code extra}; the
     * control socket it looks for first is one no serve listens on.
     */
    static Command.Result issue(Pebble pebble, Path configDir, String... extra) {
        return run(issueArguments(pebble, configDir, extra));
    }

    /** {@code issue} with {@code --control control}: through the serve listening there, if one does. */
    static Command.Result issueThrough(Path control, Pebble pebble, Path configDir, String... extra) {
        return run(issueArguments(control, pebble, configDir, extra));
    }

    /** What {@link #issue} runs, for a test that runs it its own way (e.g. with an environment). */
    static List<String> issueArguments(Pebble pebble, Path configDir, String... extra) {
        return issueArguments(configDir.resolveSibling("no-serve-here.sock"), pebble, configDir, extra);
    }

    static List<String> issueArguments(Path control, Pebble pebble, Path configDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("issue", "--server", pebble.directory.toString(),
                "--ca-cert", pebble.caCert.toString(), "--config-dir", configDir.toString(),
                "--listen", "127.0.0.1:" + pebble.tlsPort, "--control", control.toString(), "--agree-tos",
                "--non-interactive", "-m", "it@example.org"));
        args.addAll(List.of(extra));
        return args;
    }
}
