package dev.acmejx.core;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * A certificate's ACME Renewal Information (RFC 9773), from the CA at most once per Retry-After: the answer is kept
 * in the lineage's {@link LineageState}, so a twice-daily timer run that finds nothing due asks the CA only when the
 * CA said it may. When the CA cannot be asked (down, the account gone, the resource withdrawn), renew falls back to
 * the expiry rule with a warning rather than failing a lineage that may well be fine.
 */
final class RenewalInfoLookup {

    private static final Logger LOG = System.getLogger("acmejx.renew");
    /** How long an answer without Retry-After holds; RFC 9773 §4.3.2 suggests polling about twice a day. */
    static final Duration DEFAULT_RETRY = Duration.ofHours(6);
    /** A longer Retry-After is cut to this, so a mistaken header cannot silence the CA for weeks. */
    static final Duration MAX_RETRY = Duration.ofDays(1);

    /** Parses the live certificate only when the CA has to be asked. */
    @FunctionalInterface
    interface CertificateSource {
        X509Certificate get() throws AcmejxException;
    }

    private final Lineage lineage;
    private final URI server;
    private final Optional<Path> caCert;
    private final Optional<String> accountId;

    RenewalInfoLookup(Lineage lineage, URI server, Optional<Path> caCert, Optional<String> accountId) {
        this.lineage = lineage;
        this.server = server;
        this.caCert = caCert;
        this.accountId = accountId;
    }

    /** @param seen the live certificate's PEM, which the stored answer must belong to */
    Optional<RenewalDecision.Window> window(byte[] seen, CertificateSource certificate, Instant now) {
        LineageState state = LineageState.read(lineage);
        String id = sha256(seen);
        Optional<LineageState.Ari> stored = state.ari().filter(a -> a.certificate().equals(id));
        if (stored.isPresent() && now.isBefore(stored.get().nextCheck())) {
            LOG.log(Level.DEBUG, "{0}: the CA''s renewal information from the last run holds until {1}",
                    lineage.name(), stored.get().nextCheck());
            return Optional.of(stored.get().window());
        }
        Optional<LineageState.Ari> fetched = fetch(id, certificate, now, stored.isPresent()
                ? "using the window it gave at the last run" : "using the expiry date");
        if (fetched.isEmpty()) {
            return stored.map(LineageState.Ari::window);
        }
        try {
            state.withAri(fetched.get()).write(lineage);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}: cannot keep the renewal information in {1} ({2}); the next run asks again",
                    lineage.name(), lineage.stateFile(), e.getMessage());
        }
        return Optional.of(fetched.get().window());
    }

    /** @param fallback what the lineage is decided by instead, for the warning */
    private Optional<LineageState.Ari> fetch(String id, CertificateSource certificate, Instant now,
            String fallback) {
        try {
            Login login = StoredAccountLogin.login(new AccountStore(lineage.configDir()), server, caCert, accountId,
                    "asking for renewal information");
            if (!Issuance.offersRenewalInfo(login.getSession())) {
                LOG.log(Level.WARNING, "{0}: {1} no longer offers renewal information; {2}", lineage.name(), server,
                        fallback);
                return Optional.empty();
            }
            RenewalInfo info = login.bindRenewalInfo(certificate.get());
            Optional<Instant> retryAfter = info.fetch();
            return Optional.of(new LineageState.Ari(id, new RenewalDecision.Window(info.getSuggestedWindowStart(),
                    info.getSuggestedWindowEnd()), info.getExplanation().map(URL::toString),
                    nextCheck(now, retryAfter)));
        } catch (AcmejxException | AcmeException e) {
            LOG.log(Level.WARNING, "{0}: cannot get renewal information from {1} ({2}); {3}", lineage.name(),
                    server, e.getMessage(), fallback);
            return Optional.empty();
        }
    }

    /** The CA's Retry-After, within reason; {@link #DEFAULT_RETRY} without one. */
    static Instant nextCheck(Instant now, Optional<Instant> retryAfter) {
        Instant latest = now.plus(MAX_RETRY);
        Instant wanted = retryAfter.orElse(now.plus(DEFAULT_RETRY));
        return wanted.isAfter(latest) ? latest : wanted;
    }

    static String sha256(byte[] pem) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pem));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
