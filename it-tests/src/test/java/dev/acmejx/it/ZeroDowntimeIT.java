package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
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
        String forwarded = "route=127.0.0.1:" + nginx.port;
        try (Serve serve = Serve.start("--listen", "127.0.0.1:" + port, "--backend", "127.0.0.1:" + nginx.port);
                WrkLoad load = WrkLoad.start(Nginx.SITE, port)) {
            serve.awaitLine(line -> line.contains(forwarded) && line.contains(": completed"));

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
            serve.awaitNextLine(line -> line.contains(forwarded) && line.contains(": completed"));
            WrkLoad.Report report = load.stop();

            assertTrue(report.requests() > 0, "the load ran:\n" + report.output());
            assertEquals(List.of(), report.errors(), "not one request failed:\n" + report.output());
            assertEquals(0, serve.stop());
        }
    }

    /**
     * {@code nginx -s reload} returns once the master has the signal; its new workers take over a moment later.
     * Connect until a visitor through serve is shown the new certificate, within a deadline.
     */
    private static void awaitServedSerial(int port, BigInteger serial) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        BigInteger served = TlsProbe.certificate(port, Nginx.SITE).getSerialNumber();
        while (!serial.equals(served) && System.nanoTime() < deadline) {
            served = TlsProbe.certificate(port, Nginx.SITE).getSerialNumber();
        }
        assertEquals(serial, served, "a visitor through serve sees the new certificate");
    }
}
