package dev.acmejx.cli.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acmejx.core.AcmejxException;
import dev.acmejx.responder.PendingChallenges;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket over a real Unix domain socket, client and server in this JVM. */
class ControlServerTest {

    @TempDir
    Path dir;

    private final PendingChallenges challenges = new PendingChallenges();

    private ControlServer start(Path socket, int pid) throws AcmejxException {
        return ControlServer.start(socket, challenges, () -> ControlProtocol.JSON.createObjectNode().put("pid", pid));
    }

    @Test
    void theSocketIsOwnerOnlyAndAnswersTheClient() throws Exception {
        Path socket = dir.resolve("run/control.sock");
        try (ControlServer server = start(socket, 1);
                ControlClient client = ControlClient.connect(socket)) {
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(socket));
            assertEquals(PosixFilePermissions.fromString("rwx------"),
                    Files.getPosixFilePermissions(socket.getParent()), "a directory it creates is private too");

            JsonNode status = client.request(ControlProtocol.request(ControlProtocol.STATUS));

            assertEquals(1, status.path("pid").asInt());
        }
        assertFalse(Files.exists(socket), "removed on close");
    }

    @Test
    void aNewServeTakesThePathOverAndTheOldOneLeavesItAlone() throws Exception {
        Path socket = dir.resolve("control.sock");
        ControlServer old = start(socket, 1);
        try (ControlServer upgraded = start(socket, 2)) {
            old.close();

            assertTrue(Files.exists(socket), "the old serve did not remove the new one's socket");
            try (ControlClient client = ControlClient.connect(socket)) {
                assertEquals(2, client.request(ControlProtocol.request(ControlProtocol.STATUS))
                        .path("pid").asInt());
            }
        }
    }

    @Test
    void aStaleSocketFileIsNoServe() throws Exception {
        Path socket = dir.resolve("stale.sock");
        // What a killed serve leaves: a socket file nobody accepts on any more.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket), "closing a channel leaves its socket file");

        assertTrue(ControlClient.ifRunning(socket).isEmpty());
        AcmejxException error = assertThrows(AcmejxException.class, () -> ControlClient.connect(socket));
        assertTrue(error.getMessage().contains("acmejx serve --control " + socket), error.getMessage());
    }

    @Test
    void refusalsAreClientErrorsWithServesReason() throws Exception {
        Path socket = dir.resolve("control.sock");
        try (ControlServer server = start(socket, 1);
                ControlClient client = ControlClient.connect(socket)) {
            AcmejxException error = assertThrows(AcmejxException.class,
                    () -> client.request(ControlProtocol.request("nope")));
            assertTrue(error.getMessage().contains("unknown op 'nope'"), error.getMessage());
        }
    }

    @Test
    void aFileThatIsNotASocketIsNeverReplaced() throws Exception {
        Path precious = dir.resolve("notes.txt");
        Files.writeString(precious, "keep me");

        AcmejxException error = assertThrows(AcmejxException.class, () -> start(precious, 1));

        assertTrue(error.getMessage().contains("is not a socket"), error.getMessage());
        assertEquals("keep me", Files.readString(precious));
    }

    @Test
    void aDirectoryOthersMayWriteIsRefused() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        AcmejxException error = assertThrows(AcmejxException.class,
                () -> start(shared.resolve("control.sock"), 1));

        assertTrue(error.getMessage().contains("another user could replace"), error.getMessage());
        assertFalse(Files.exists(shared.resolve("control.sock")));
    }

    @Test
    void aPathTooLongForASocketIsRefusedUpFront() {
        Path socket = dir.resolve("x".repeat(120) + ".sock");

        AcmejxException error = assertThrows(AcmejxException.class, () -> start(socket, 1));

        assertTrue(error.getMessage().contains("107 bytes"), error.getMessage());
    }
}
