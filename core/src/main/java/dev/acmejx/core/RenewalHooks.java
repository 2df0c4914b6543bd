package dev.acmejx.core;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The hooks of {@code renew}, with certbot's semantics: {@code --pre-hook} and {@code --post-hook}, then the
 * executables in {@code renewal-hooks/pre/} and {@code renewal-hooks/post/} in name order, once per run and only
 * when something is due; the executables in {@code renewal-hooks/deploy/} after each renewed lineage's own deploy
 * hook, with {@code RENEWED_LINEAGE} and {@code RENEWED_DOMAINS}.
 */
public final class RenewalHooks {

    /**
     * Prefixed to every hook: its output joins our log on stderr, since stdout is for acmejx's own summary. Done
     * by the shell, not by opening /dev/stderr, which fails (ENXIO) when stderr is journald's socket under systemd.
     */
    static final String TO_STDERR = "exec 1>&2\n";

    private final Path hooksDir;
    private final Optional<String> pre;
    private final Optional<String> post;

    public RenewalHooks(Path configDir, Optional<String> pre, Optional<String> post) {
        this.hooksDir = configDir.resolve("renewal-hooks");
        this.pre = pre;
        this.post = post;
    }

    /** Before the first renewal of the run: a failing pre hook stops the run, as certbot's does. */
    void pre() throws AcmejxException {
        for (List<String> command : commands(pre, "pre")) {
            run("pre hook", command, Map.of());
        }
    }

    /**
     * The names a run renewed and failed to renew, for the post hooks, as certbot 4.2 gives them: {@code
     * RENEWED_DOMAINS} and {@code FAILED_DOMAINS}, space-separated, across every lineage of the run.
     */
    static final class Run {

        static final String RENEWED_DOMAINS = "RENEWED_DOMAINS";
        static final String FAILED_DOMAINS = "FAILED_DOMAINS";

        private final List<String> renewed = new ArrayList<>();
        private final List<String> failed = new ArrayList<>();

        void renewed(List<String> names) {
            renewed.addAll(names);
        }

        void failed(List<String> names) {
            failed.addAll(names);
        }

        Map<String, String> environment() {
            return Map.of(RENEWED_DOMAINS, String.join(" ", renewed), FAILED_DOMAINS, String.join(" ", failed));
        }
    }

    /** After the last renewal, renewed or failed; every post hook runs even if one fails. */
    void post(Run run) throws AcmejxException {
        AcmejxException failed = null;
        for (List<String> command : commands(post, "post")) {
            try {
                run("post hook", command, run.environment());
            } catch (AcmejxException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** The {@code renewal-hooks/deploy/} executables for one renewed lineage. */
    void deploy(Lineage lineage, List<String> names) throws AcmejxException {
        for (List<String> command : commands(Optional.empty(), "deploy")) {
            run("deploy hook", command, deployEnvironment(lineage, names));
        }
    }

    private List<List<String>> commands(Optional<String> shell, String phase) throws AcmejxException {
        List<List<String>> commands = new ArrayList<>();
        shell.ifPresent(command -> commands.add(List.of("/bin/sh", "-c", TO_STDERR + command)));
        Path dir = hooksDir.resolve(phase);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                entries.filter(path -> Files.isRegularFile(path) && Files.isExecutable(path)).sorted()
                        .forEach(path -> commands.add(List.of("/bin/sh", "-c", TO_STDERR + "exec \"$0\"",
                                path.toString())));
            } catch (IOException e) {
                throw new AcmejxException("cannot list the hooks in " + dir + ": " + e.getMessage(), e);
            }
        }
        return commands;
    }

    /** certbot's environment for a deploy hook: the live directory and the names, space-separated. */
    static Map<String, String> deployEnvironment(Lineage lineage, List<String> names) {
        return Map.of("RENEWED_LINEAGE", lineage.liveDir().toString(), Run.RENEWED_DOMAINS, String.join(" ", names));
    }

    /** Runs one hook to its end; stdin is empty, output goes to stderr, a non-zero exit is an error. */
    static void run(String what, List<String> command, Map<String, String> env) throws AcmejxException {
        String shown = command.get(command.size() - 1).replace(TO_STDERR, "");
        System.getLogger("acmejx.hook").log(Level.INFO, "running the {0} {1}", what, shown);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO()
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        try {
            int exit = builder.start().waitFor();
            if (exit != 0) {
                throw new AcmejxException("the " + what + " '" + shown + "' exited with status " + exit);
            }
        } catch (IOException e) {
            throw new AcmejxException("cannot start the " + what + " '" + shown + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcmejxException("interrupted while the " + what + " '" + shown + "' ran", e);
        }
    }
}
