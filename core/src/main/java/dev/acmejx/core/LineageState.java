package dev.acmejx.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code renew} remembers of a lineage between runs, in {@code renewal/<name>.acmejx.json} beside the conf
 * (certbot reads only {@code *.conf} there): the CA's last renewal information, so that a no-op timer run need not
 * ask the CA again before its Retry-After, and the outcome of the last renewal, for {@code serve}'s metrics.
 * A missing or unreadable file is an empty state: it only ever saves a question to the CA.
 *
 * @param ari the CA's answer for the live certificate
 * @param lastRenewal the last time {@code renew} ordered, or failed to
 */
public record LineageState(Optional<Ari> ari, Optional<LastRenewal> lastRenewal) {

    /** The JSON's field names, declared once; the window's are RFC 9773's. */
    static final String ARI = "renewalInfo";
    static final String CERTIFICATE = "certificateSha256";
    static final String WINDOW = "suggestedWindow";
    static final String START = "start";
    static final String END = "end";
    static final String EXPLANATION = "explanationURL";
    static final String NEXT_CHECK = "retryAfter";
    static final String LAST_RENEWAL = "lastRenewal";
    static final String AT = "at";
    static final String RESULT = "result";
    static final String DETAIL = "detail";

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final LineageState EMPTY = new LineageState(Optional.empty(), Optional.empty());

    /**
     * The CA's suggested window for one certificate.
     *
     * @param certificate hex SHA-256 of the live {@code cert.pem} it was asked for: a new version asks anew
     * @param nextCheck when the CA may be asked again (its Retry-After)
     */
    public record Ari(String certificate, RenewalDecision.Window window, Optional<String> explanation,
            Instant nextCheck) {
    }

    /**
     * @param succeeded whether it ended with a new certificate live (or, for a dry run, one the CA would issue)
     * @param detail the summary line's text
     */
    public record LastRenewal(Instant at, boolean succeeded, String detail) {
    }

    public static LineageState read(Lineage lineage) {
        try {
            return parse(JSON.readTree(Files.readAllBytes(lineage.stateFile())));
        } catch (NoSuchFileException e) {
            return EMPTY;
        } catch (IOException | RuntimeException e) {
            System.getLogger("acmejx.renew").log(System.Logger.Level.WARNING, "{0} is unreadable ({1}); "
                    + "it is rewritten at the next renewal", lineage.stateFile(), e.getMessage());
            return EMPTY;
        }
    }

    static LineageState parse(JsonNode root) {
        JsonNode ari = root.path(ARI);
        JsonNode last = root.path(LAST_RENEWAL);
        Optional<Ari> window = ari.isObject() ? Optional.of(new Ari(ari.path(CERTIFICATE).asText(),
                new RenewalDecision.Window(instant(ari.path(WINDOW).path(START)), instant(ari.path(WINDOW).path(END))),
                Optional.ofNullable(ari.path(EXPLANATION).textValue()), instant(ari.path(NEXT_CHECK))))
                : Optional.empty();
        Optional<LastRenewal> renewal = last.isObject() ? Optional.of(new LastRenewal(instant(last.path(AT)),
                "success".equals(last.path(RESULT).asText()), last.path(DETAIL).asText()))
                : Optional.empty();
        return new LineageState(window, renewal);
    }

    private static Instant instant(JsonNode node) {
        if (!node.isTextual()) {
            throw new IllegalArgumentException("a time is missing");
        }
        return Instant.parse(node.textValue());
    }

    public LineageState withAri(Ari value) {
        return new LineageState(Optional.of(value), lastRenewal);
    }

    public LineageState withLastRenewal(LastRenewal value) {
        return new LineageState(ari, Optional.of(value));
    }

    ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        ari.ifPresent(a -> {
            ObjectNode node = root.putObject(ARI).put(CERTIFICATE, a.certificate());
            node.putObject(WINDOW).put(START, a.window().start().toString()).put(END, a.window().end().toString());
            a.explanation().ifPresent(url -> node.put(EXPLANATION, url));
            node.put(NEXT_CHECK, a.nextCheck().toString());
        });
        lastRenewal.ifPresent(r -> root.putObject(LAST_RENEWAL).put(AT, r.at().toString())
                .put(RESULT, r.succeeded() ? "success" : "failure").put(DETAIL, r.detail()));
        return root;
    }

    /** Replaces the file in one rename; readable by all, like the conf beside it (it holds no secret). */
    public void write(Lineage lineage) throws IOException {
        Path file = lineage.stateFile();
        SecureFiles.directories(file.getParent(), SecureFiles.PUBLIC_DIR);
        SecureFiles.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson()),
                SecureFiles.PUBLIC_FILE);
    }
}
