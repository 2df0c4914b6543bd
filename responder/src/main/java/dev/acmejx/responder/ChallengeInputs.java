package dev.acmejx.responder;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Checks what a caller hands the registry before anything is built from it. A typo in a token or a nonce would
 * otherwise publish a certificate for the wrong names, and show up minutes later as a validation failure at the
 * CA that says nothing about the cause; here it fails at once, naming the value and what was expected.
 */
final class ChallengeInputs {

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern KEY_AUTHORIZATION = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final Pattern HEX_LABEL = Pattern.compile("[0-9a-f]{1,63}");
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private ChallengeInputs() {
    }

    /** {@code token.thumbprint}: two base64url parts joined by exactly one dot. */
    static void checkKeyAuthorization(String keyAuthorization) {
        Objects.requireNonNull(keyAuthorization, "key authorization");
        if (!KEY_AUTHORIZATION.matcher(keyAuthorization).matches()) {
            throw new IllegalArgumentException("key authorization '" + keyAuthorization
                    + "' is not of the form token.thumbprint (two base64url parts joined by one '.')");
        }
    }

    /** A base64url token, and a key authorization made from it. */
    static void checkKeyAuthorizationFor(String token, String keyAuthorization) {
        Objects.requireNonNull(token, "token");
        if (!BASE64URL.matcher(token).matches()) {
            throw new IllegalArgumentException("token '" + token
                    + "' is not base64url (only A-Z, a-z, 0-9, '-' and '_', at least one)");
        }
        checkKeyAuthorization(keyAuthorization);
        if (!keyAuthorization.startsWith(token + ".")) {
            throw new IllegalArgumentException("key authorization '" + keyAuthorization + "' is not for token '"
                    + token + "': it must start with '" + token + ".'");
        }
    }

    /** @return the name lower-cased: LDH labels of 1 to 63 characters, 253 in all */
    static String domain(String domain) {
        Objects.requireNonNull(domain, "domain");
        String name = domain.toLowerCase(Locale.ROOT);
        if (!DNS_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("domain '" + domain + "' is not a DNS name (dot-separated labels of "
                    + "1 to 63 letters, digits or inner '-', at most 253 characters)");
        }
        return name;
    }

    /** @return the nonce lower-cased, as a validator's SNI carries it */
    static String nonce(String nonceHex) {
        Objects.requireNonNull(nonceHex, "nonce");
        String nonce = nonceHex.toLowerCase(Locale.ROOT);
        if (!HEX_LABEL.matcher(nonce).matches()) {
            throw new IllegalArgumentException("dvsni nonce '" + nonceHex
                    + "' is not hex of 1 to 63 digits (it is the first label of the SNI)");
        }
        return nonce;
    }

    /** @param what the octets' name in the protocol, {@code r} or {@code s} */
    static void checkRandomOctets(String what, byte[] octets) {
        Objects.requireNonNull(octets, what);
        if (octets.length == 0) {
            throw new IllegalArgumentException("dvsni " + what + " is empty; it must be the decoded random octets");
        }
    }
}
