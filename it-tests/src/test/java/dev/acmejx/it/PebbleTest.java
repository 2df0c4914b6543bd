package dev.acmejx.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A test class with its own Pebble for all its tests, and a fresh config dir for each test. */
abstract class PebbleTest {

    static Pebble pebble;

    @TempDir
    Path configDir;

    @BeforeAll
    static void startPebble() throws Exception {
        pebble = Pebble.start();
    }

    @AfterAll
    static void stopPebble() {
        pebble.close();
    }
}
