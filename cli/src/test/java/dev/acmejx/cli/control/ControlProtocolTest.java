package dev.acmejx.cli.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;

/** The one trust rule every end of the control socket applies: the same user, or root, and nobody else. */
class ControlProtocolTest {

    private static final UserPrincipal SELF = () -> "acmejx";

    @Test
    void theSameUserIsTrustedAsTheSystemLooksItUpEachTime() throws Exception {
        assertTrue(ControlProtocol.trusted(ControlSocketPath.currentUser(), ControlSocketPath.currentUser()));
        assertTrue(ControlProtocol.trusted(SELF, SELF));
    }

    @Test
    void rootIsTrustedWhoeverThisProcessRunsAs() {
        assertTrue(ControlProtocol.trusted(() -> "root", SELF));
    }

    @Test
    void anyOtherUserIsNot() {
        assertFalse(ControlProtocol.trusted(() -> "nobody", SELF));
    }
}
