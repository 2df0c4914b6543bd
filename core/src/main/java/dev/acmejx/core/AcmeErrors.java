package dev.acmejx.core;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeServerException;

/** Turns acme4j's exceptions into messages that say what went wrong and what to do. */
final class AcmeErrors {

    private AcmeErrors() {
    }

    static AcmejxException describe(AcmeException e, URI server, String step) {
        if (e instanceof AcmeNetworkException) {
            return new AcmejxException(network(e.getCause(), server, step), e);
        }
        if (e instanceof AcmeServerException serverError) {
            return new AcmejxException(step + ": the ACME server at " + server + " answered "
                    + problem(serverError.getProblem()), e);
        }
        return new AcmejxException(step + ": " + e.getMessage(), e);
    }

    /** {@code type: detail}, with subproblems, as the CA reported it. */
    static String problem(Problem problem) {
        String text = problem.getType() + ": " + problem.getDetail().orElse(problem.getTitle().orElse("no detail"));
        if (problem.getSubProblems().isEmpty()) {
            return text;
        }
        return text + problem.getSubProblems().stream().map(AcmeErrors::problem)
                .collect(Collectors.joining("; ", " (", ")"));
    }

    private static String network(Throwable cause, URI server, String step) {
        Throwable root = cause;
        while (root.getCause() != null && !(root instanceof SSLException)) {
            root = root.getCause();
        }
        String prefix = step + ": cannot reach the ACME server at " + server + ": ";
        if (root instanceof SSLException) {
            return prefix + "its HTTPS certificate is not trusted (" + root.getMessage() + "). If it is a private "
                    + "or test CA such as Pebble, pass the root that signed it with --ca-cert FILE";
        }
        if (root instanceof UnknownHostException) {
            return prefix + "unknown host " + server.getHost() + ". Check --server and this machine's DNS";
        }
        if (root instanceof ConnectException || root instanceof HttpTimeoutException) {
            return prefix + "connection refused or timed out. Check --server, that the server runs, and any "
                    + "firewall in between";
        }
        return prefix + root;
    }
}
