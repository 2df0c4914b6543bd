package dev.acmejx.cli.control;

import static dev.acmejx.cli.control.ControlProtocol.DIGEST;
import static dev.acmejx.cli.control.ControlProtocol.IDENTIFIER;
import static dev.acmejx.cli.control.ControlProtocol.PUBLISH;
import static dev.acmejx.cli.control.ControlProtocol.TYPE;
import static dev.acmejx.cli.control.ControlProtocol.WITHDRAW;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.ChallengeResponder;
import dev.acmejx.responder.PendingChallenges.PreparedChallenge;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Base64;
import org.shredzone.acme4j.Identifier;

/**
 * Answers tls-alpn-01 through a running {@code serve}: the challenge crosses the control socket as the identifier
 * and the digest of the key authorization, which is all a validator sees anyway; the account key stays in this
 * process.
 */
public final class ServeChallenges implements ChallengeResponder {

    private static final Logger LOG = System.getLogger("acmejx.responder");

    private final ControlClient client;

    public ServeChallenges(ControlClient client) {
        this.client = client;
        LOG.log(Level.INFO, "answering tls-alpn-01 through acmejx serve at {0}", client.path());
    }

    @Override
    public void publishTlsAlpn01(Identifier identifier, byte[] acmeValidation) throws AcmejxException {
        ObjectNode request = ControlProtocol.request(PUBLISH)
                .put(TYPE, PreparedChallenge.TLS_ALPN_01)
                .put(IDENTIFIER, identifier.getValue())
                .put(DIGEST, Base64.getUrlEncoder().withoutPadding().encodeToString(acmeValidation));
        client.request(request);
    }

    @Override
    public void withdrawTlsAlpn01(Identifier identifier) {
        try {
            client.request(ControlProtocol.request(WITHDRAW).put(IDENTIFIER, identifier.getValue()));
        } catch (AcmejxException e) {
            LOG.log(Level.WARNING, "could not withdraw the challenge for {0} ({1}); it expires on its own",
                    identifier.getValue(), e.getMessage());
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
