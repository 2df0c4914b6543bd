package dev.acmejx.core;

import java.util.Base64;

/**
 * External Account Binding (RFC 8555 §7.3.4): the key id and HMAC key a CA such as ZeroSSL or a private CA hands
 * out to tie a new ACME account to an account of theirs. Used once, when the account is registered; never stored,
 * never logged.
 *
 * @param kid the key identifier
 * @param hmacKey the MAC key, base64url as CAs print it
 */
public record ExternalAccountBinding(String kid, String hmacKey) {

    /** The command line's names for the parts: declared here, where the errors that name them are. */
    public static final String KID_OPTION = "--eab-kid";
    public static final String KEY_OPTION = "--eab-hmac-key";
    public static final String KEY_FILE_OPTION = "--eab-hmac-key-file";
    public static final String KEY_ENVIRONMENT = "ACMEJX_EAB_HMAC_KEY";
    /** Every way to give the HMAC key, the most private first. */
    public static final String KEY_SOURCES = KEY_FILE_OPTION + ", " + KEY_ENVIRONMENT + " or " + KEY_OPTION;

    /**
     * @param keySource where {@code hmacKey} came from, for the error when it is not a key
     * @throws AcmejxException when either part is missing or the key is not base64url
     */
    public static ExternalAccountBinding of(String kid, String hmacKey, String keySource) throws AcmejxException {
        if (kid == null || kid.isBlank() || hmacKey == null || hmacKey.isBlank()) {
            throw new AcmejxException("External Account Binding needs both " + KID_OPTION + " and the HMAC key ("
                    + KEY_SOURCES + ")");
        }
        try {
            if (Base64.getUrlDecoder().decode(hmacKey.strip()).length == 0) {
                throw new IllegalArgumentException("empty");
            }
        } catch (IllegalArgumentException e) {
            throw new AcmejxException("the HMAC key from " + keySource + " is not a base64url key (as the CA shows "
                    + "it, e.g. 'zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W'); check for a copy "
                    + "error", e);
        }
        return new ExternalAccountBinding(kid.strip(), hmacKey.strip());
    }

    /** Never the key: records end up in logs and exception messages. */
    @Override
    public String toString() {
        return "ExternalAccountBinding[kid=" + kid + "]";
    }
}
