package dev.acmejx.core;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.OrderBuilder;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * One ACME order from creation to the downloaded chain. Every authorization is solved at the same time: the
 * validations are independent, so the order takes as long as the slowest name, not the sum of them.
 */
final class CertificateOrder {

    private static final Logger LOG = System.getLogger("acmejx.acme");
    private static final int MAX_PARALLEL = 32;

    private final Login login;
    private final URI server;
    private final Poller poller;

    CertificateOrder(Login login, URI server, Duration timeout) {
        this.login = login;
        this.server = server;
        this.poller = new Poller(timeout);
    }

    /**
     * What a new order carries besides its names.
     *
     * @param replaces the certificate this one renews, for a CA that offers ACME Renewal Information
     * @param profile the CA's profile to ask for, already checked against its directory ({@link Profiles})
     */
    record Extras(Optional<X509Certificate> replaces, Optional<String> profile) {
    }

    /**
     * @param certificateKey being generated meanwhile (an RSA 4096 key takes seconds): needed only to finalize
     * @return the chain, leaf first
     */
    List<X509Certificate> issue(List<Identifier> identifiers, CompletableFuture<KeyPair> certificateKey,
            KeySpec keySpec, ChallengeResponder responder, Extras extras)
            throws AcmejxException, InterruptedException {
        try {
            OrderBuilder builder = login.newOrder().identifiers(identifiers);
            extras.replaces().ifPresent(builder::replaces);
            extras.profile().ifPresent(builder::profile);
            Order order = builder.create();
            LOG.log(Level.INFO, "order created for {0} ({1} authorizations{2})",
                    String.join(", ", DomainNames.values(identifiers)), order.getAuthorizations().size(),
                    extras.profile().map(p -> ", profile " + p).orElse(""));
            authorize(order.getAuthorizations(), new AuthorizationSolver(responder, poller));
            if (poller.await(order, Set.of(Status.READY, Status.INVALID), "the order") == Status.INVALID) {
                throw new AcmejxException("the CA marked the order invalid: "
                        + order.getError().map(AcmeErrors::problem).orElse("no reason given"));
            }
            LOG.log(Level.INFO, "finalizing: sending the CSR for a new {0} key", keySpec.describe());
            order.execute(certificateKey.join());
            if (poller.await(order, Set.of(Status.VALID, Status.INVALID), "finalization") == Status.INVALID) {
                throw new AcmejxException("the CA refused to issue: "
                        + order.getError().map(AcmeErrors::problem).orElse("no reason given"));
            }
            List<X509Certificate> chain = order.getCertificate().getCertificateChain();
            LOG.log(Level.INFO, "certificate downloaded: serial {0}, {1} certificates in the chain",
                    chain.get(0).getSerialNumber().toString(16), chain.size());
            return chain;
        } catch (AcmeException e) {
            throw AcmeErrors.describe(e, server, "ordering the certificate");
        }
    }

    private static void authorize(List<Authorization> authorizations, AuthorizationSolver solver)
            throws AcmejxException, AcmeException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(authorizations.size(), MAX_PARALLEL), r -> {
            Thread t = new Thread(r, "acmejx-authz");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<AuthorizationSolver.Outcome>> running = new ArrayList<>();
            for (Authorization authorization : authorizations) {
                running.add(pool.submit(() -> solver.solve(authorization)));
            }
            List<AuthorizationSolver.Outcome> failed = new ArrayList<>();
            for (Future<AuthorizationSolver.Outcome> outcome : running) {
                AuthorizationSolver.Outcome done = join(outcome);
                if (done.problem().isPresent()) {
                    failed.add(done);
                }
            }
            if (!failed.isEmpty()) {
                throw new AcmejxException("authorization failed for " + failed.size() + " of "
                        + authorizations.size() + " names; nothing was changed in live/:\n" + failed.stream()
                        .map(f -> "  " + f.identifier().getValue() + ": " + f.problem().get())
                        .collect(Collectors.joining("\n")));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static AuthorizationSolver.Outcome join(Future<AuthorizationSolver.Outcome> outcome)
            throws AcmejxException, AcmeException, InterruptedException {
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AcmejxException acmejx) {
                throw acmejx;
            }
            if (cause instanceof AcmeException acme) {
                throw acme;
            }
            throw new IllegalStateException("authorization worker failed", cause);
        }
    }
}
