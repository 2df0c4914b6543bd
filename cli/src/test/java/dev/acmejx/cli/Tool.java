package dev.acmejx.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An external program a test checks generated files with (groff, bash). A test that needs one is skipped, not
 * failed, where it is not installed; CI installs them. Output goes through files so no pipe can fill up.
 */
final class Tool {

    /** What a finished run printed. */
    record Result(int exit, String out, String err) {
    }

    private final String name;

    private Tool(String name) {
        this.name = name;
    }

    /** {@code name} from PATH, or the calling test skipped with a message saying what to install. */
    static Tool required(String name, String debianPackage) {
        boolean found = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, name)));
        assumeTrue(found, name + " is not installed (apt-get install " + debianPackage + ")");
        return new Tool(name);
    }

    Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(name));
        command.addAll(List.of(args));
        Path in = Files.createTempFile("acmejx-tool", ".in");
        Path out = Files.createTempFile("acmejx-tool", ".out");
        Path err = Files.createTempFile("acmejx-tool", ".err");
        try {
            Files.writeString(in, stdin, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
