package dev.acmejx.core;

/**
 * Every key of a renewal conf ({@code renewal/<name>.conf}), declared once. The names are certbot's wherever
 * certbot has one, so that either tool reads what the other wrote; the rest are acmejx's own, which certbot
 * ignores.
 */
public final class ConfKeys {

    /** The version of the program that wrote the conf, PEP 440 (certbot refuses a conf it cannot parse). */
    public static final String VERSION = "version";
    public static final String ARCHIVE_DIR = "archive_dir";
    /** A span such as {@code 30 days}; set by hand, kept across renewals. */
    public static final String RENEW_BEFORE_EXPIRY = "renew_before_expiry";

    /** The section the following keys live in. */
    public static final String RENEWAL_PARAMS = "renewalparams";
    /** The account's id (certbot's: MD5 of its public key) under {@code accounts/}. */
    public static final String ACCOUNT = "account";
    /** Which program answers the lineage's challenges: {@link #ACMEJX} or one of certbot's plugins. */
    public static final String AUTHENTICATOR = "authenticator";
    /** certbot's {@code renew} leaves a lineage alone whose {@code autorenew} is {@code False}. */
    public static final String AUTORENEW = "autorenew";
    public static final String SERVER = "server";
    /** The names in the user's order; certbot has no such key and reads the names from the certificate. */
    public static final String DOMAINS = "domains";
    public static final String KEY_TYPE = "key_type";
    public static final String ELLIPTIC_CURVE = "elliptic_curve";
    public static final String RSA_KEY_SIZE = "rsa_key_size";
    public static final String PREF_CHALLS = "pref_challs";
    public static final String EMAIL = "email";
    /** certbot's name for the deploy hook. */
    public static final String DEPLOY_HOOK = "renew_hook";
    /** The ACME profile (draft-aaron-acme-profiles) the order asked for; every renewal asks for it again. */
    public static final String PROFILE = "profile";

    /** acmejx's own: extra PEM roots trusted for the CA's HTTPS ({@code --ca-cert}). */
    public static final String CA_CERT = "ca_cert";
    /** acmejx's own: whether the CA offered ACME Renewal Information at the last order. */
    public static final String ARI = "ari";
    /** acmejx's own: the control socket of the serve that answered the challenges. */
    public static final String CONTROL_SOCKET = "control_socket";
    /** acmejx's own: where acmejx answers tls-alpn-01 itself when no serve answers. */
    public static final String TLS_ALPN_LISTEN = "tls_alpn_listen";
    /** acmejx's own: the fleet ({@code --fleet}) whose etcd holds this lineage; renew then locks and commits there. */
    public static final String FLEET = "fleet";

    /** The value of {@link #AUTHENTICATOR} in the lineages acmejx renews. */
    public static final String ACMEJX = "acmejx";
    /** configobj's booleans, as certbot writes and reads them. */
    public static final String TRUE = "True";
    public static final String FALSE = "False";

    private ConfKeys() {
    }
}
