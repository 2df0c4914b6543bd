package dev.acmejx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RoffTest {

    @Test
    void escapesWhatTroffWouldInterpretOrTypesetDifferently() {
        assertEquals("\\-\\-deploy\\-hook \\(aqnginx \\-s reload\\(aq", Roff.text("--deploy-hook 'nginx -s reload'"));
        assertEquals("C:\\eDir \\(gax\\(ga a\\(hab \\(ti/x", Roff.text("C:\\Dir `x` a^b ~/x"));
    }

    @Test
    void aLineCannotBecomeARequest() {
        assertEquals("\\&.SH not a heading", Roff.text(".SH not a heading"));
        assertEquals("\\(aqnot a request", Roff.text("'not a request"));
    }

    @Test
    void collapsesWhitespaceSoOneTextIsOneLine() {
        assertEquals("two lines one", Roff.text("  two\nlines\t one "));
    }

    @Test
    void writesNonAsciiAsUnicodeEscapes() {
        assertEquals("fa\\[u00DF].de \\[u2026] \\[u1F512]", Roff.text("faß.de … \uD83D\uDD12"));
    }

    @Test
    void quotesMacroArguments() {
        assertEquals("\"say \\(dqhi\\(dq\"", Roff.argument("say \"hi\""));
    }
}
