package dev.acmejx.cli.control;

import static dev.acmejx.cli.control.ControlProtocol.DIGEST;
import static dev.acmejx.cli.control.ControlProtocol.IDENTIFIER;
import static dev.acmejx.cli.control.ControlProtocol.KEY_AUTHORIZATION;
import static dev.acmejx.cli.control.ControlProtocol.NONCE;
import static dev.acmejx.cli.control.ControlProtocol.R;
import static dev.acmejx.cli.control.ControlProtocol.S;
import static dev.acmejx.cli.control.ControlProtocol.TOKEN;
import static dev.acmejx.cli.control.ControlProtocol.TYPE;
import static dev.acmejx.cli.control.ControlProtocol.TYPES;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.DomainNames;
import dev.acmejx.responder.ChallengeIdentifier;
import dev.acmejx.responder.PendingChallenges.PreparedChallenge;
import dev.acmejx.responder.PendingChallenges;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.util.Base64;
import java.util.List;
import org.shredzone.acme4j.Identifier;

/**
 * Turns a {@code publish} request into a published challenge, checking every field first: the responder only
 * ever sees well-formed input. Shared by the JSON protocol and ualpn's {@code auth}.
 */
public final class ChallengeRequests {

    private static final Logger LOG = System.getLogger("acmejx.control");
    private static final int DIGEST_BYTES = 32;

    private final PendingChallenges challenges;

    ChallengeRequests(PendingChallenges challenges) {
        this.challenges = challenges;
    }

    /**
     * @param request {@code type} and the fields that type needs: tls-alpn-01 {@code identifier} and
     *     {@code digest} (base64url SHA-256 of the key authorization) or {@code keyAuthorization}; tls-sni-01
     *     {@code keyAuthorization}; tls-sni-02 {@code token} and {@code keyAuthorization}; dvsni {@code identifier},
     *     {@code nonce} (hex), {@code r} and {@code s} (base64url)
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    PreparedChallenge publish(JsonNode request) {
        String type = text(request, TYPE);
        PreparedChallenge published = switch (type) {
            case PreparedChallenge.TLS_ALPN_01 -> request.hasNonNull(DIGEST)
                    ? tlsAlpn01(text(request, IDENTIFIER), decodeDigest(text(request, DIGEST)))
                    : challenges.publishTlsAlpn01(challengeIdentifier(text(request, IDENTIFIER)),
                            text(request, KEY_AUTHORIZATION));
            case PreparedChallenge.TLS_SNI_01 -> challenges.publishTlsSni01(text(request, KEY_AUTHORIZATION));
            case PreparedChallenge.TLS_SNI_02 -> challenges.publishTlsSni02(text(request, TOKEN),
                    text(request, KEY_AUTHORIZATION));
            case PreparedChallenge.DVSNI -> challenges.publishDvsni(text(request, IDENTIFIER), text(request, NONCE),
                    base64Url(R, text(request, R)), base64Url(S, text(request, S)));
            default -> throw new IllegalArgumentException("unknown challenge type '" + type + "'; expected " + TYPES);
        };
        LOG.log(Level.INFO, "control: published {0} for {1} (SNI {2}) until {3}", published.type(),
                published.name(), published.sni(), published.expires());
        return published;
    }

    /** Publishes a tls-alpn-01 answer for a DNS name or an IP address literal. */
    PreparedChallenge tlsAlpn01(String identifier, byte[] digest) {
        return challenges.publishTlsAlpn01(challengeIdentifier(identifier), digest);
    }

    static ChallengeIdentifier challengeIdentifier(String identifier) {
        try {
            return challengeIdentifier(DomainNames.parse(List.of(identifier)).get(0));
        } catch (AcmejxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** acme4j's identifier as the responder keys its challenges: a DNS name, or an IP address (RFC 8738). */
    public static ChallengeIdentifier challengeIdentifier(Identifier identifier) {
        return Identifier.TYPE_IP.equals(identifier.getType())
                ? ChallengeIdentifier.ip(identifier.getValue())
                : ChallengeIdentifier.dns(identifier.getValue());
    }

    static byte[] decodeDigest(String digest) {
        byte[] bytes = base64Url(DIGEST, digest);
        if (bytes.length != DIGEST_BYTES) {
            throw new IllegalArgumentException("digest '" + digest + "' decodes to " + bytes.length
                    + " bytes; expected the 32 of a SHA-256 (base64url, 43 characters)");
        }
        return bytes;
    }

    /**
     * A name to withdraw, checked before anything looks at it: a DNS name or IP literal (IP literals are only
     * parsed, never resolved), which is also what every legacy form's {@code .acme.invalid} name is.
     */
    static String withdrawable(String name) {
        ChallengeIdentifier identifier = challengeIdentifier(name);
        return identifier.value();
    }

    private static byte[] base64Url(String field, String value) {
        try {
            return Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " '" + value + "' is not base64url: " + e.getMessage(), e);
        }
    }

    /** The text of a required string field. */
    static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("missing \"" + field + "\" (a non-empty string)");
        }
        return value.asText();
    }
}
