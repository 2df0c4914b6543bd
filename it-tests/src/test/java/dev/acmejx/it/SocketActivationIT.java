package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * serve on the sockets a socket unit holds: restarted under load, it refuses no connection, since the kernel queues
 * what arrives while no serve runs; and the two ways to get the listeners wrong are clear errors.
 */
class SocketActivationIT {

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
    void twoRestartsUnderNewConnectionLoadRefuseNone() throws Exception {
        int port = FreePorts.next();
        String forwarded = "route=127.0.0.1:" + nginx.port;
        try (SocketUnit unit = SocketUnit.start(false, List.of("127.0.0.1:" + port), "--backend",
                "127.0.0.1:" + nginx.port); WrkLoad load = WrkLoad.start(Nginx.SITE, port)) {
            for (int run = 1; run <= 3; run++) {
                int current = run;
                unit.awaitLine(line -> unit.run(current).stream().anyMatch(l -> l.contains(forwarded)
                        && l.contains(": completed")));
                if (run < 3) {
                    unit.restart();
                }
            }
            WrkLoad.Report report = load.stop();

            assertTrue(report.requests() > 0, "the load ran:\n" + report.output());
            assertEquals(List.of(), report.errors(), "not one connection refused or failed:\n" + report.output());
            for (int run = 1; run <= 3; run++) {
                assertTrue(unit.run(run).stream().anyMatch(line -> line.contains("listening on the 1 sockets systemd "
                        + "passed (" + SocketUnit.NAME + " on descriptor 3)")), "run " + run + " took the socket");
            }
        }
    }

    @Test
    void listenBesidePassedSocketsIsAClearError() throws Exception {
        int port = FreePorts.next();
        try (SocketUnit unit = SocketUnit.startFailing(List.of("127.0.0.1:" + port), "--listen",
                "127.0.0.1:" + FreePorts.next())) {
            String error = unit.awaitLine(line -> line.startsWith("acmejx: error:"));

            assertTrue(error.contains("systemd passed 1 listening sockets (https on descriptor 3) and --listen names "
                    + "others"), error);
        }
    }

    @Test
    void theNioTransportCannotTakeAPassedSocketAndSaysSo() throws Exception {
        int port = FreePorts.next();
        try (SocketUnit unit = SocketUnit.startFailing(List.of("127.0.0.1:" + port), "--transport", "nio")) {
            String error = unit.awaitLine(line -> line.startsWith("acmejx: error:"));

            assertTrue(error.contains("only the epoll transport can take a passed socket"), error);
        }
    }
}
