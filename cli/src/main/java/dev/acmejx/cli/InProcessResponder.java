package dev.acmejx.cli;

import dev.acmejx.cli.control.ChallengeRequests;
import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.ChallengeResponder;
import dev.acmejx.mux.ListenException;
import dev.acmejx.mux.MuxServer;
import dev.acmejx.mux.RouteTarget;
import dev.acmejx.mux.Router;
import dev.acmejx.responder.ChallengeIdentifier;
import dev.acmejx.responder.ChallengeRouter;
import dev.acmejx.responder.PendingChallenges;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.shredzone.acme4j.Identifier;

/**
 * The responder inside the issuing process, for when no {@code acmejx serve} owns the port: it listens on
 * {@code --listen} for the duration of the order and answers tls-alpn-01 validations; every other connection is
 * closed (nothing is forwarded anywhere from here).
 */
final class InProcessResponder implements ChallengeResponder {

    private static final Logger LOG = System.getLogger("acmejx.responder");
    private static final Duration INSPECT_TIMEOUT = Duration.ofSeconds(5);
    private static final int WORKER_THREADS = 2;

    private final PendingChallenges challenges;
    private final MuxServer server;

    private InProcessResponder(PendingChallenges challenges, MuxServer server) {
        this.challenges = challenges;
        this.server = server;
    }

    static InProcessResponder listen(InetSocketAddress address) throws AcmejxException {
        PendingChallenges challenges = new PendingChallenges();
        Thread warmUp = new Thread(challenges::warmUp, "acmejx-responder-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        RouteTarget elsewhere = RouteTarget.close("closed", "not a tls-alpn-01 validation");
        Router router = new ChallengeRouter(challenges, hello -> elsewhere, hello -> elsewhere);
        try {
            MuxServer server = MuxServer.start(MuxServer.Settings.single(address, INSPECT_TIMEOUT, WORKER_THREADS),
                    router);
            LOG.log(Level.INFO, "answering tls-alpn-01 on {0}", server.boundAddresses().get(0));
            return new InProcessResponder(challenges, server);
        } catch (ListenException e) {
            throw new AcmejxException(e.getMessage(), e);
        }
    }

    @Override
    public void publishTlsAlpn01(Identifier identifier, byte[] acmeValidation) {
        challenges.publishTlsAlpn01(ChallengeRequests.challengeIdentifier(identifier), acmeValidation);
    }

    @Override
    public void withdrawTlsAlpn01(Identifier identifier) {
        challenges.withdraw(ChallengeRequests.challengeIdentifier(identifier));
    }

    @Override
    public void close() {
        server.close();
    }
}
