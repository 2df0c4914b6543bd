package dev.acmejx.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    static final ObjectMapper JSON = new ObjectMapper();
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
            return error("a request is a JSON object with an \"op\"");
        }
        String op = request.path("op").asText("");
        try {
            return switch (op) {
                case "publish" -> ok().set("challenge", describe(publisher.publish(request))).toString() + "\n";
                case "withdraw" -> withdraw(ChallengeRequests.withdrawable(ChallengeRequests.text(request,
                        "identifier")));
                case "list" -> list();
                case "status" -> status();
                default -> error("unknown op '" + op + "'; expected publish, withdraw, list or status");
            };
        } catch (IllegalArgumentException e) {
            return error(e.getMessage());
        }
    }

    private String withdraw(String name) {
        boolean removed = challenges.withdraw(name);
        LOG.log(Level.INFO, "control: withdrew {0}{1}", name, removed ? "" : " (nothing was pending)");
        return ok().put("removed", removed) + "\n";
    }

    private String status() {
        ObjectNode answer = ok();
        answer.setAll(status.get());
        return answer.put("pending", challenges.list().size()) + "\n";
    }

    private String list() {
        ObjectNode answer = ok();
        var array = answer.putArray("challenges");
        challenges.list().forEach(challenge -> array.add(describe(challenge)));
        return answer + "\n";
    }

    static ObjectNode describe(PreparedChallenge challenge) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", challenge.type());
        node.put("name", challenge.name());
        node.put("sni", challenge.sni());
        node.put("expires", challenge.expires().toString());
        return node;
    }

    private static ObjectNode ok() {
        return JSON.createObjectNode().put("ok", true);
    }

    /** A JSON error answer line. */
    static String error(String message) {
        return JSON.createObjectNode().put("ok", false).put("error", message) + "\n";
    }
}
