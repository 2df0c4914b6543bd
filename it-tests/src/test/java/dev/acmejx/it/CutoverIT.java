package dev.acmejx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.acmejx.it.CutoverNginx.Site;
import dev.acmejx.it.CutoverNginx.Way;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * packaging/README.md's cutover, with real nginx, under wrk's new-connection load: nginx's listener gets
 * {@code reuseport}, the socket unit binds beside it and serve starts on it, a reload drops nginx's listener, and
 * every new connection is serve's; the rollback is the same in reverse. Not one connection is refused or reset.
 *
 * <p>Both sockets must belong to root (the kernel shares a port with SO_REUSEPORT only between sockets of one
 * user, and nginx's master and systemd run as root), and connections waiting in a closing listener's queue move to
 * the other only with {@code net.ipv4.tcp_migrate_req=1}, which the test sets for its run.
 */
class CutoverIT {

    private static final Path MIGRATE = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");
    private static final int SEEN = 20;

    private String migrateBefore;

    @BeforeEach
    void migrateQueuedConnections() throws Exception {
        assumeTrue("0".equals(Command.run("id", "-u").out().strip()), "the cutover shares :443 between root's sockets");
        assumeTrue(Files.isWritable(MIGRATE), "needs a kernel with net.ipv4.tcp_migrate_req, writable here");
        migrateBefore = Files.readString(MIGRATE).strip();
        Files.writeString(MIGRATE, "1");
    }

    @AfterEach
    void restoreMigration() throws Exception {
        if (migrateBefore != null) {
            Files.writeString(MIGRATE, migrateBefore);
        }
    }

    @Test
    void fromNginxToServeAndBackWithoutARefusedOrResetConnection() throws Exception {
        int port = FreePorts.next();
        try (CutoverNginx nginx = CutoverNginx.start(port);
                WrkLoad during = WrkLoad.counting(Nginx.SITE, port, Way.PROXIED.body())) {
            nginx.awaitAnswered(Way.DIRECT, SEEN);
            try (SocketUnit unit = cutOver(nginx, port)) {
                assertNoneFailed(during.stop(), "during the cutover");
                assertOnlyThrough(nginx, port, Way.PROXIED);
                try (WrkLoad back = WrkLoad.counting(Nginx.SITE, port, Way.PROXIED.body())) {
                    nginx.awaitAnswered(Way.PROXIED, SEEN);
                    rollBack(nginx, unit);
                    assertNoneFailed(back.stop(), "during the rollback");
                }
            }
            assertOnlyThrough(nginx, port, Way.DIRECT);
        }
    }

    /** The same in reverse: nginx's :443 back with reuseport, then the socket unit stops (serve drains first). */
    private static void rollBack(CutoverNginx nginx, SocketUnit unit) throws Exception {
        nginx.reload(Site.REUSEPORT);
        nginx.awaitListeners(2);
        unit.close();
        nginx.awaitListeners(1);
        nginx.awaitAnswered(Way.DIRECT, SEEN);
    }

    /** Section 4 of packaging/README.md: reuseport on nginx's :443, the socket unit and serve, nginx without :443. */
    private static SocketUnit cutOver(CutoverNginx nginx, int port) throws Exception {
        nginx.reload(Site.REUSEPORT);
        nginx.awaitAnswered(Way.DIRECT, SEEN);
        SocketUnit unit = SocketUnit.start(true, List.of("127.0.0.1:" + port), "--backend",
                "127.0.0.1:" + nginx.proxiedPort, "--proxy-protocol", "v2");
        nginx.awaitListeners(2);
        nginx.reload(Site.GONE);
        nginx.awaitListeners(1);
        nginx.awaitAnswered(Way.PROXIED, SEEN);
        return unit;
    }

    /** A fresh load after the switch: every one of its responses came {@code way}. */
    private static void assertOnlyThrough(CutoverNginx nginx, int port, Way way) throws Exception {
        try (WrkLoad after = WrkLoad.counting(Nginx.SITE, port, way.body())) {
            nginx.awaitAnswered(way, SEEN);
            WrkLoad.Report report = after.stop();
            assertNoneFailed(report, "after the switch");
            long[] counted = report.counted();
            assertTrue(counted[0] > 0, "responses came " + way + ":\n" + report.output());
            assertEquals(0, counted[1], "every response came " + way + ":\n" + report.output());
        }
    }

    private static void assertNoneFailed(WrkLoad.Report report, String when) {
        assertTrue(report.requests() > 0, "the load ran " + when + ":\n" + report.output());
        assertEquals(List.of(), report.errors(), "not one connection failed " + when + ":\n" + report.output());
    }
}
