package dev.acmejx.mux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketActivationTest {

    private static final long PID = 4242;

    @Test
    void theSocketsOfThisProcessStartAtDescriptorThreeWithTheirNames() {
        assertEquals(List.of(new SocketActivation.Passed(3, "https"), new SocketActivation.Passed(4, "https6")),
                SocketActivation.passed(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "2",
                        "LISTEN_FDNAMES", "https:https6"), PID));
    }

    @Test
    void nothingIsPassedWithoutTheVariablesOrWhenTheyAreAnotherProcesss() {
        assertEquals(List.of(), SocketActivation.passed(Map.of(), PID));
        assertEquals(List.of(), SocketActivation.passed(Map.of("LISTEN_PID", "17", "LISTEN_FDS", "1"), PID),
                "a parent's variables, inherited");
    }

    @Test
    void namesThatDoNotMatchTheCountAreUnknownAsSdListenFdsWithNamesHasThem() {
        assertEquals(List.of(new SocketActivation.Passed(3, "unknown"), new SocketActivation.Passed(4, "unknown")),
                SocketActivation.passed(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "2", "LISTEN_FDNAMES", "https"),
                        PID));
    }

    @Test
    void aCountThatIsNoneOrNoNumberIsAClearError() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> SocketActivation.passed(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "0"), PID));
        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class,
                () -> SocketActivation.passed(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "two"), PID));

        assertTrue(none.getMessage().contains("passed no socket"), none.getMessage());
        assertTrue(garbage.getMessage().contains("LISTEN_FDS 'two' is not a count"), garbage.getMessage());
    }

    @Test
    void tcpMigrateReqIsReadFromTheKernelsFile(@TempDir Path dir) throws Exception {
        Path on = Files.writeString(dir.resolve("on"), "1\n");
        Path off = Files.writeString(dir.resolve("off"), "0\n");

        assertEquals(Optional.of(true), TcpMigrateRequests.enabled(on));
        assertEquals(Optional.of(false), TcpMigrateRequests.enabled(off));
        assertEquals(Optional.empty(), TcpMigrateRequests.enabled(dir.resolve("missing")), "an older kernel");
    }
}
