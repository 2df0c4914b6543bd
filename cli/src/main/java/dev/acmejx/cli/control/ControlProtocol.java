package dev.acmejx.cli.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.attribute.UserPrincipal;

/**
 * The control socket's words, declared once: a request is one JSON line with an {@link #OP} and its fields, an answer
 * one JSON line with {@link #OK} and, when false, an {@link #ERROR}. And the one rule of who may be on either end of
 * the socket: the same user, or root.
 */
public final class ControlProtocol {

    public static final ObjectMapper JSON = new ObjectMapper();

    public static final String OP = "op";
    public static final String PUBLISH = "publish";
    public static final String WITHDRAW = "withdraw";
    public static final String LIST = "list";
    public static final String STATUS = "status";

    public static final String TYPE = "type";
    public static final String IDENTIFIER = "identifier";
    /** tls-alpn-01's SHA-256 of the key authorization, base64url: what a client that keeps the key sends. */
    public static final String DIGEST = "digest";
    public static final String KEY_AUTHORIZATION = "keyAuthorization";
    public static final String TOKEN = "token";
    public static final String NONCE = "nonce";
    public static final String R = "r";
    public static final String S = "s";

    public static final String OK = "ok";
    public static final String ERROR = "error";
    public static final String CHALLENGE = "challenge";
    public static final String CHALLENGES = "challenges";
    public static final String REMOVED = "removed";
    public static final String PENDING = "pending";
    public static final String NAME = "name";
    public static final String SNI = "sni";
    public static final String EXPIRES = "expires";

    private static final String ROOT = "root";

    private ControlProtocol() {
    }

    /** Whether {@code peer} may be on the other end of a socket that {@code self} uses: the same user, or root. */
    static boolean trusted(UserPrincipal peer, UserPrincipal self) {
        return peer.equals(self) || peer.getName().equals(ROOT);
    }
}
