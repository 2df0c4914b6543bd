package dev.acmejx.cli.control;

import static dev.acmejx.cli.control.ControlProtocol.UALPN_AUTH;
import static dev.acmejx.cli.control.ControlProtocol.UALPN_ERR;
import static dev.acmejx.cli.control.ControlProtocol.UALPN_OK;
import static dev.acmejx.cli.control.ControlProtocol.UALPN_UNAUTH;

import dev.acmejx.responder.PendingChallenges;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * ualpn's control protocol (uacme's {@code ualpn(1)}, CLIENT MODE): {@code auth <identifier> <authorization>},
 * the authorization being the base64url SHA-256 of the key authorization, and {@code unauth <identifier>}.
 * Answers start with {@code OK} or {@code ERR}; uacme's {@code ualpn.sh} hook accepts exactly {@code OK}.
 */
final class UalpnRequests {

    private static final Logger LOG = System.getLogger("acmejx.control");

    private UalpnRequests() {
    }

    /** @return the answer line, without its newline */
    static String answer(String line, ChallengeRequests publisher, PendingChallenges challenges) {
        String[] words = line.split(" +");
        try {
            if (words[0].equals(UALPN_AUTH) && words.length == 3) {
                publisher.tlsAlpn01(words[1], ChallengeRequests.decodeDigest(words[2]));
                LOG.log(Level.INFO, "control: ualpn auth {0}", words[1]);
                return UALPN_OK;
            }
            if (words[0].equals(UALPN_UNAUTH) && words.length == 2) {
                boolean removed = challenges.withdraw(ChallengeRequests.challengeIdentifier(words[1]));
                LOG.log(Level.INFO, "control: ualpn unauth {0}{1}", words[1], removed ? "" : " (nothing was pending)");
                return UALPN_OK;
            }
        } catch (IllegalArgumentException e) {
            return UALPN_ERR + " " + e.getMessage().replace('\n', ' ');
        }
        return UALPN_ERR + " expected '" + UALPN_AUTH + " <identifier> <base64url sha256>', '" + UALPN_UNAUTH
                + " <identifier>' or a JSON request";
    }
}
