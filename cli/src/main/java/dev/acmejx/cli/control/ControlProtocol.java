package dev.acmejx.cli.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmejx.responder.PendingChallenges.PreparedChallenge;
import java.nio.file.attribute.UserPrincipal;

/**
 * The control socket's words, declared once: a request is one JSON line with an {@link #OP} and its fields, an answer
 * one JSON line with {@link #OK} and, when false, an {@link #ERROR}; ualpn's line protocol, which the same socket
 * speaks, has its words here too. Public are the words a command outside this package builds or reads. And the one
 * rule of who may be on either end of the socket: the same user, or root.
 */
public final class ControlProtocol {

    public static final ObjectMapper JSON = new ObjectMapper();

    static final String OP = "op";
    public static final String PUBLISH = "publish";
    public static final String WITHDRAW = "withdraw";
    public static final String LIST = "list";
    static final String STATUS = "status";

    public static final String TYPE = "type";
    public static final String IDENTIFIER = "identifier";
    /** tls-alpn-01's SHA-256 of the key authorization, base64url: what a client that keeps the key sends. */
    static final String DIGEST = "digest";
    public static final String KEY_AUTHORIZATION = "keyAuthorization";
    public static final String TOKEN = "token";
    public static final String NONCE = "nonce";
    public static final String R = "r";
    public static final String S = "s";

    /** The {@link #TYPE}s serve answers, as a sentence lists them. */
    public static final String TYPES = PreparedChallenge.TLS_ALPN_01 + ", " + PreparedChallenge.TLS_SNI_01 + ", "
            + PreparedChallenge.TLS_SNI_02 + " or " + PreparedChallenge.DVSNI;

    static final String OK = "ok";
    static final String ERROR = "error";
    public static final String CHALLENGE = "challenge";
    public static final String CHALLENGES = "challenges";
    public static final String REMOVED = "removed";
    static final String PENDING = "pending";
    public static final String NAME = "name";
    public static final String SNI = "sni";
    public static final String EXPIRES = "expires";

    /** What serve itself tells about it in a {@link #STATUS} answer, besides the {@link #PENDING} count. */
    public static final String VERSION = "version";
    public static final String PID = "pid";
    public static final String LISTENING = "listening";
    public static final String ACTIVE = "active";

    /** ualpn's requests, {@code auth <identifier> <digest>} and {@code unauth <identifier>}, and its answers. */
    static final String UALPN_AUTH = "auth";
    static final String UALPN_UNAUTH = "unauth";
    static final String UALPN_OK = "OK";
    static final String UALPN_ERR = "ERR";

    private static final String ROOT = "root";

    private ControlProtocol() {
    }

    /** A JSON request for {@code op}, to which the caller adds that op's fields. */
    public static ObjectNode request(String op) {
        return JSON.createObjectNode().put(OP, op);
    }

    /** Whether {@code peer} may be on the other end of a socket that {@code self} uses: the same user, or root. */
    static boolean trusted(UserPrincipal peer, UserPrincipal self) {
        return peer.equals(self) || peer.getName().equals(ROOT);
    }
}
