package dev.acmejx.cli.control;

import static dev.acmejx.cli.control.ControlProtocol.CHALLENGE;
import static dev.acmejx.cli.control.ControlProtocol.CHALLENGES;
import static dev.acmejx.cli.control.ControlProtocol.ERROR;
import static dev.acmejx.cli.control.ControlProtocol.EXPIRES;
import static dev.acmejx.cli.control.ControlProtocol.IDENTIFIER;
import static dev.acmejx.cli.control.ControlProtocol.JSON;
import static dev.acmejx.cli.control.ControlProtocol.LIST;
import static dev.acmejx.cli.control.ControlProtocol.NAME;
import static dev.acmejx.cli.control.ControlProtocol.OK;
import static dev.acmejx.cli.control.ControlProtocol.OP;
import static dev.acmejx.cli.control.ControlProtocol.PENDING;
import static dev.acmejx.cli.control.ControlProtocol.PUBLISH;
import static dev.acmejx.cli.control.ControlProtocol.REMOVED;
import static dev.acmejx.cli.control.ControlProtocol.SNI;
import static dev.acmejx.cli.control.ControlProtocol.STATUS;
import static dev.acmejx.cli.control.ControlProtocol.TYPE;
import static dev.acmejx.cli.control.ControlProtocol.WITHDRAW;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmejx.responder.PendingChallenges;
import dev.acmejx.responder.PendingChallenges.PreparedChallenge;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * The control protocol, independent of the socket: one request line in, one answer line out. A line that starts
 * with <code>{</code> is a JSON request ({@code publish}, {@code withdraw}, {@code list}, {@code status}) and gets
 * a JSON answer with {@code "ok"}; any other line is ualpn's protocol ({@code auth}/{@code unauth}), answered
 * {@code OK} or {@code ERR <reason>}, so uacme's ualpn client and hook drive {@code serve} unchanged. Nothing a
 * client sends gets anything but an answer: bad requests never reach the responder.
 */
final class ControlRequests {

    private static final Logger LOG = System.getLogger("acmejx.control");

    private final PendingChallenges challenges;
    private final ChallengeRequests publisher;
    private final Supplier<ObjectNode> status;

    /** @param status what {@code status} reports about the running serve besides the challenges */
    ControlRequests(PendingChallenges challenges, Supplier<ObjectNode> status) {
        this.challenges = challenges;
        this.publisher = new ChallengeRequests(challenges);
        this.status = status;
    }

    /** @return the answer, ending in a newline */
    String answer(String line) {
        String request = line.strip();
        if (request.startsWith("{")) {
            return json(request);
        }
        return UalpnRequests.answer(request, publisher, challenges) + "\n";
    }

    private String json(String line) {
        JsonNode request;
        try {
            request = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return error("not valid JSON: " + e.getOriginalMessage());
        }
        if (!request.isObject()) {
            return error("a request is a JSON object with an \"" + OP + "\"");
        }
        String op = request.path(OP).asText("");
        try {
            return switch (op) {
                case PUBLISH -> ok().set(CHALLENGE, describe(publisher.publish(request))).toString() + "\n";
                case WITHDRAW -> withdraw(ChallengeRequests.withdrawable(ChallengeRequests.text(request,
                        IDENTIFIER)));
                case LIST -> list();
                case STATUS -> status();
                default -> error("unknown op '" + op + "'; expected " + PUBLISH + ", " + WITHDRAW + ", " + LIST
                        + " or " + STATUS);
            };
        } catch (IllegalArgumentException e) {
            return error(e.getMessage());
        }
    }

    private String withdraw(String name) {
        boolean removed = challenges.withdraw(name);
        LOG.log(Level.INFO, "control: withdrew {0}{1}", name, removed ? "" : " (nothing was pending)");
        return ok().put(REMOVED, removed) + "\n";
    }

    private String status() {
        ObjectNode answer = ok();
        answer.setAll(status.get());
        return answer.put(PENDING, challenges.list().size()) + "\n";
    }

    private String list() {
        ObjectNode answer = ok();
        var array = answer.putArray(CHALLENGES);
        challenges.list().forEach(challenge -> array.add(describe(challenge)));
        return answer + "\n";
    }

    static ObjectNode describe(PreparedChallenge challenge) {
        ObjectNode node = JSON.createObjectNode();
        node.put(TYPE, challenge.type());
        node.put(NAME, challenge.name());
        node.put(SNI, challenge.sni());
        node.put(EXPIRES, challenge.expires().toString());
        return node;
    }

    private static ObjectNode ok() {
        return JSON.createObjectNode().put(OK, true);
    }

    /** A JSON error answer line. */
    static String error(String message) {
        return JSON.createObjectNode().put(OK, false).put(ERROR, message) + "\n";
    }
}
