package dev.acmejx.cli;

import static dev.acmejx.cli.control.ControlProtocol.CHALLENGE;
import static dev.acmejx.cli.control.ControlProtocol.CHALLENGES;
import static dev.acmejx.cli.control.ControlProtocol.EXPIRES;
import static dev.acmejx.cli.control.ControlProtocol.IDENTIFIER;
import static dev.acmejx.cli.control.ControlProtocol.KEY_AUTHORIZATION;
import static dev.acmejx.cli.control.ControlProtocol.LIST;
import static dev.acmejx.cli.control.ControlProtocol.NAME;
import static dev.acmejx.cli.control.ControlProtocol.NONCE;
import static dev.acmejx.cli.control.ControlProtocol.PUBLISH;
import static dev.acmejx.cli.control.ControlProtocol.R;
import static dev.acmejx.cli.control.ControlProtocol.REMOVED;
import static dev.acmejx.cli.control.ControlProtocol.S;
import static dev.acmejx.cli.control.ControlProtocol.SNI;
import static dev.acmejx.cli.control.ControlProtocol.TOKEN;
import static dev.acmejx.cli.control.ControlProtocol.TYPE;
import static dev.acmejx.cli.control.ControlProtocol.TYPES;
import static dev.acmejx.cli.control.ControlProtocol.WITHDRAW;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmejx.cli.control.ControlClient;
import dev.acmejx.cli.control.ControlProtocol;
import dev.acmejx.cli.control.ControlServer;
import dev.acmejx.core.AcmejxException;
import dev.acmejx.core.Fleet;
import dev.acmejx.core.FleetChallenges;
import dev.acmejx.responder.PendingChallenges.PreparedChallenge;
import dev.acmejx.responder.PendingChallenges;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code acmejx challenge add|remove|list}: publishes challenges in a running {@code serve} by hand or from
 * another ACME client's hook (uacme, acme.sh, dehydrated), which makes {@code serve} their tls-alpn-01 (and legacy
 * tls-sni/dvsni) responder.
 */
@Command(name = "challenge", mixinStandardHelpOptions = true,
        description = "Publish, withdraw and list the challenges a running `acmejx serve` answers.",
        subcommands = {ChallengeCommand.Add.class, ChallengeCommand.Remove.class, ChallengeCommand.ListPending.class})
final class ChallengeCommand extends CommandGroup {

    /** The options every subcommand shares. */
    abstract static class ControlCall implements Callable<Integer> {

        @Option(names = "--control", paramLabel = "PATH", defaultValue = ControlServer.DEFAULT_PATH,
                description = "The serve's control socket (default: ${DEFAULT-VALUE}).")
        Path control;

        @Option(names = "--json", description = "Print serve's JSON answer as it is.")
        boolean json;

        @Mixin
        FleetOptions fleet;

        @Override
        public Integer call() throws AcmejxException {
            try (ControlClient client = ControlClient.connect(control)) {
                JsonNode answer = client.request(request());
                Optional<Fleet> joined = fleet.open();
                if (joined.isPresent()) {
                    inFleet(joined.get());
                }
                print(answer, System.out);
            }
            return 0;
        }

        abstract ObjectNode request() throws AcmejxException;

        /** With {@code --etcd}: what the fleet's other nodes must also know. Nothing, unless a subcommand says. */
        void inFleet(Fleet joined) throws AcmejxException {
        }

        abstract void printHuman(JsonNode answer, PrintStream out);

        private void print(JsonNode answer, PrintStream out) {
            if (json) {
                out.println(answer);
            } else {
                printHuman(answer, out);
            }
        }

        static String line(JsonNode challenge) {
            return challenge.path(TYPE).asText() + "  " + challenge.path(NAME).asText() + "  SNI "
                    + challenge.path(SNI).asText() + "  until " + challenge.path(EXPIRES).asText();
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Publish a challenge.")
    static final class Add extends ControlCall {

        @Option(names = "--type", required = true, paramLabel = "TYPE",
                description = TYPES + ".")
        String type;

        @Option(names = "--identifier", paramLabel = "NAME", description = "The domain or IP (tls-alpn-01, dvsni).")
        String identifier;

        @Option(names = "--key-authorization", paramLabel = "KA",
                description = "token.thumbprint (tls-alpn-01, tls-sni-01, tls-sni-02).")
        String keyAuthorization;

        @Option(names = "--token", paramLabel = "TOKEN", description = "The challenge token (tls-sni-02).")
        String token;

        @Option(names = "--nonce", paramLabel = "HEX", description = "The nonce (dvsni).")
        String nonce;

        @Option(names = "--r", paramLabel = "B64URL", description = "The validator's random r (dvsni).")
        String r;

        @Option(names = "--s", paramLabel = "B64URL", description = "Your random s (dvsni).")
        String s;

        @Override
        ObjectNode request() throws AcmejxException {
            checkOptions();
            ObjectNode request = ControlProtocol.request(PUBLISH).put(TYPE, type);
            putIfGiven(request, IDENTIFIER, identifier);
            putIfGiven(request, KEY_AUTHORIZATION, keyAuthorization);
            putIfGiven(request, TOKEN, token);
            putIfGiven(request, NONCE, nonce);
            putIfGiven(request, R, r);
            putIfGiven(request, S, s);
            return request;
        }

        /** Says which option a type lacks in the command's own terms, before serve is asked. */
        private void checkOptions() throws AcmejxException {
            Map<String, String> given = new LinkedHashMap<>();
            given.put("--identifier", identifier);
            given.put("--key-authorization", keyAuthorization);
            given.put("--token", token);
            given.put("--nonce", nonce);
            given.put("--r", r);
            given.put("--s", s);
            List<String> needed = switch (type) {
                case PreparedChallenge.TLS_ALPN_01 -> List.of("--identifier", "--key-authorization");
                case PreparedChallenge.TLS_SNI_01 -> List.of("--key-authorization");
                case PreparedChallenge.TLS_SNI_02 -> List.of("--token", "--key-authorization");
                case PreparedChallenge.DVSNI -> List.of("--identifier", "--nonce", "--r", "--s");
                default -> throw new AcmejxException("--type " + type
                        + " is not a challenge serve answers; give " + TYPES);
            };
            for (String option : needed) {
                if (given.get(option) == null) {
                    throw new AcmejxException("--type " + type + " needs " + String.join(", ", needed)
                            + "; " + option + " is missing");
                }
            }
        }

        /**
         * tls-alpn-01 goes to every node's serve too, for as long as this serve keeps it: a validator may reach any of
         * them. The legacy forms stay this serve's; their validators are long gone from the public CAs.
         */
        @Override
        void inFleet(Fleet joined) throws AcmejxException {
            if (PreparedChallenge.TLS_ALPN_01.equals(type)) {
                FleetChallenges.publishFor(joined, identifier, acmeValidation(keyAuthorization),
                        PendingChallenges.DEFAULT_LIFETIME);
            }
        }

        /** What acme4j computes as tls-alpn-01's acmeValidation: SHA-256 of the key authorization (RFC 8737 §3). */
        private static byte[] acmeValidation(String keyAuthorization) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(keyAuthorization.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }

        private static void putIfGiven(ObjectNode request, String field, String value) {
            if (value != null) {
                request.put(field, value);
            }
        }

        @Override
        void printHuman(JsonNode answer, PrintStream out) {
            out.println("published " + line(answer.path(CHALLENGE)));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Withdraw a challenge by its identifier, or by the SNI name a legacy form derived.")
    static final class Remove extends ControlCall {

        @Option(names = "--identifier", required = true, paramLabel = "NAME",
                description = "The identifier, or the *.acme.invalid name.")
        String identifier;

        @Override
        ObjectNode request() {
            return ControlProtocol.request(WITHDRAW).put(IDENTIFIER, identifier);
        }

        @Override
        void inFleet(Fleet joined) throws AcmejxException {
            FleetChallenges.withdraw(joined, identifier);
        }

        @Override
        void printHuman(JsonNode answer, PrintStream out) {
            out.println(answer.path(REMOVED).asBoolean() ? "withdrew " + identifier
                    : "nothing was pending for " + identifier);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the pending challenges.")
    static final class ListPending extends ControlCall {

        @Override
        ObjectNode request() {
            return ControlProtocol.request(LIST);
        }

        @Override
        void printHuman(JsonNode answer, PrintStream out) {
            JsonNode challenges = answer.path(CHALLENGES);
            if (challenges.isEmpty()) {
                out.println("no challenges pending");
            }
            challenges.forEach(challenge -> out.println(line(challenge)));
        }
    }
}
