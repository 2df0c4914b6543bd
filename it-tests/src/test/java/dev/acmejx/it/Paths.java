package dev.acmejx.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the checkout and the built command are; failsafe passes both in. */
final class Paths {

    private Paths() {
    }

    static Path repo() {
        return Path.of(System.getProperty("acmejx.home", "..")).toAbsolutePath().normalize();
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("acmejx.jar", repo().resolve("cli/target/acmejx.jar").toString()));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests through Maven (mvn verify)");
        }
        return jar;
    }

    /**
     * serve's JVM options as the launchers pass them: the build's copy of cli/serve.jvm-options beside {@link #jar},
     * without its comments.
     */
    static List<String> serveJvmOptions() {
        try {
            return Files.readAllLines(jar().resolveSibling("serve.jvm-options")).stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class-data archive the build dumped for {@link #jar} (cli/class-data.sh), which the launchers map. */
    static Path classDataArchive() {
        return jar().resolveSibling("acmejx.jsa");
    }
}
