package dev.acmejx.it;

import java.nio.file.Files;
import java.nio.file.Path;

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

    /** The class-data archive the build dumped for {@link #jar} (cli/class-data.sh), which the launchers map. */
    static Path classDataArchive() {
        return jar().resolveSibling("acmejx.jsa");
    }
}
