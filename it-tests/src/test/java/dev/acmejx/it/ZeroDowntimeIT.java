package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The product's promise: nginx keeps serving on the same port, under load, while a certificate is issued through
 * {@code serve}'s control socket and then deployed by reloading nginx. Not one request of the load may fail.
 */
class ZeroDowntimeIT extends PebbleTest {

    private static Nginx nginx;

    @BeforeAll
    static void startNginx() throws Exception {
        nginx = Nginx.start();
    }

    @AfterAll
    static void stopNginx() {
        nginx.close();
    }

    @Test
    void issuanceAndReloadUnderLoadLoseNoRequest() throws Exception {
        int port = pebble.tlsPort;
        try (Serve serve = Serve.start("--listen", "127.0.0.1:" + port, "--backend", "127.0.0.1:" + nginx.port);
                WrkLoad load = WrkLoad.start(Nginx.SITE, port)) {
            load.awaitRoundStartedAfter(0);

            Command.Result issue = Acmejx.issueThrough(serve.control(), pebble, configDir, "-d", Nginx.SITE,
                    "--deploy-hook", nginx.deployHook());

            issue.assertSuccess();
            assertTrue(issue.err().contains("through acmejx serve at " + serve.control()), issue.describe("route"));
            assertTrue(serve.awaitLine(l -> l.contains("alpn=acme-tls/1")).contains(": answered (tls-alpn-01 for "
                    + Nginx.SITE), "the validation was answered by serve");
            Path fullchain = configDir.resolve("live/" + Nginx.SITE + "/fullchain.pem");
            Openssl.assertValidLineage(fullchain.getParent(), pebble.issuerRoot);
            BigInteger issued = new BigInteger(Openssl.serial(fullchain).replace("serial=", ""), 16);
            awaitServedSerial(port, issued);
            load.awaitRoundStartedAfter(System.nanoTime());
            load.close();

            List<WrkLoad.Round> rounds = load.rounds();
            assertTrue(rounds.size() >= 2, "load ran across issuance and reload: " + rounds);
            for (WrkLoad.Round round : rounds) {
                assertTrue(!round.failed() && round.requests() > 0, "a round saw errors:\n" + round.output());
            }
            assertEquals(0, serve.stop());
        }
    }

    /**
     * {@code nginx -s reload} returns once the master has the signal; its new workers take over a moment later.
     * Connect until a visitor through serve is shown the new certificate, with a bound.
     */
    private static void awaitServedSerial(int port, BigInteger serial) throws Exception {
        BigInteger served = null;
        for (int attempt = 0; attempt < 100 && !serial.equals(served); attempt++) {
            served = TlsProbe.certificate(port, Nginx.SITE).getSerialNumber();
        }
        assertEquals(serial, served, "a visitor through serve sees the new certificate");
    }
}
