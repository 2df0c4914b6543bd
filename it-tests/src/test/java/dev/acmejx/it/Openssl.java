package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

/** Independent checks with the openssl command, not with the code under test. */
final class Openssl {

    private Openssl() {
    }

    /** The live certificate chains to Pebble's issuing root, and the live key is the certificate's key. */
    static void assertValidLineage(Path liveDir, Path issuerRoot) {
        Command.Result verify = Command.run("openssl", "verify", "-CAfile", issuerRoot.toString(), "-untrusted",
                liveDir.resolve("chain.pem").toString(), liveDir.resolve("cert.pem").toString()).assertSuccess();
        assertTrue(verify.out().strip().endsWith(": OK"), verify.describe("openssl verify"));
        String certKey = Command.run("openssl", "x509", "-noout", "-pubkey", "-in",
                liveDir.resolve("cert.pem").toString()).assertSuccess().out();
        String privKey = Command.run("openssl", "pkey", "-pubout", "-in",
                liveDir.resolve("privkey.pem").toString()).assertSuccess().out();
        assertEquals(certKey, privKey, "privkey.pem is not the key of cert.pem");
    }

    /** {@code openssl x509 -text} of a certificate file. */
    static String text(Path certificate) {
        return Command.run("openssl", "x509", "-noout", "-text", "-in", certificate.toString()).assertSuccess().out();
    }

    static String serial(Path certificate) {
        return Command.run("openssl", "x509", "-noout", "-serial", "-in", certificate.toString()).assertSuccess()
                .out().strip();
    }
}
