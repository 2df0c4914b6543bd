package dev.acmejx.responder;

import dev.acmejx.mux.ListenException;
import dev.acmejx.mux.MuxServer;
import dev.acmejx.mux.RouteTarget;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Both responders behind a real mux listener on a free port, routed as {@code serve} routes them: a hello
 * offering {@code acme-tls/1} to the tls-alpn-01 responder, an {@code .acme.invalid} SNI to the legacy one.
 * It also keeps the mux's per-connection log lines, which is where a connection's outcome and reason end up.
 */
final class ResponderServer implements AutoCloseable {

    private final Logger muxLog = Logger.getLogger("acmejx.mux");
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Handler collector = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logLines.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final MuxServer server;
    private boolean stopped;

    ResponderServer(PendingChallenges challenges) throws ListenException {
        muxLog.addHandler(collector);
        server = MuxServer.start(MuxServer.Settings.single(new InetSocketAddress("127.0.0.1", 0),
                Duration.ofSeconds(5), 1), new ChallengeRouter(challenges, ChallengeRouter.legacyAnswers(challenges),
                        hello -> RouteTarget.close("closed", "not a challenge")));
    }

    ValidatorClient validator() {
        return new ValidatorClient(server.boundAddresses().get(0));
    }

    /**
     * Stops the server and returns the log line of every connection it had. The server's event loop is shut down
     * and waited for, so every connection's line has been written by then; nothing has to be waited for by time.
     */
    List<String> stopAndLogLines() {
        close();
        return List.copyOf(logLines);
    }

    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        server.close();
        muxLog.removeHandler(collector);
    }
}
