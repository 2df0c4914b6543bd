package dev.acmejx.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One lineage as {@code renew} sees it: its renewal conf, the live certificate and the decision. Reading the
 * conf and one certificate is all a lineage that is not due costs, so the common twice-daily run stays fast; the
 * CA is asked only when it offers ACME Renewal Information for this lineage, and then at most once per its
 * Retry-After ({@link RenewalInfoLookup}).
 *
 * <p>A conf certbot wrote is read as certbot reads it: the names come from the certificate, the account is the
 * conf's {@code account}, a missing {@code key_type} means RSA.
 *
 * @param seen the live certificate's PEM when the decision was made, before any lock or sleep
 */
public record RenewalPlan(Lineage lineage, RenewalConf conf, byte[] seen, RenewalDecision decision) {

    /** @throws AcmejxException naming the file, when it cannot be read */
    static RenewalConf readConf(Lineage lineage) throws AcmejxException {
        try {
            return RenewalConf.read(lineage.renewalConf());
        } catch (IOException e) {
            throw new AcmejxException("cannot read " + lineage.renewalConf() + ": " + e.getMessage(), e);
        }
    }

    /** Decides; no lock is taken, nothing is written but the CA's renewal information when it was asked. */
    static RenewalPlan of(Lineage lineage, RenewalConf conf, boolean force, Instant now) throws AcmejxException {
        byte[] seen = liveCertificate(lineage);
        CertificateValidity validity = validity(lineage, seen);
        boolean ari = conf.param(ConfKeys.ARI).filter(ConfKeys.TRUE::equalsIgnoreCase).isPresent();
        Optional<RenewalDecision.Window> window = ari && !force
                ? new RenewalInfoLookup(lineage, server(conf), caCert(conf), conf.param(ConfKeys.ACCOUNT))
                        .window(seen, () -> parse(lineage, seen), now)
                : Optional.empty();
        RenewalDecision decision = RenewalDecision.decide(now, validity.notBefore(), validity.notAfter(), window,
                jitter(seen), conf.top(ConfKeys.RENEW_BEFORE_EXPIRY), force);
        return new RenewalPlan(lineage, conf, seen, decision);
    }

    /**
     * This client's point in an ARI window, in [0, 1): drawn from the certificate itself, so every run of a twice-daily
     * timer finds the same point. A fresh draw per run would pull renewals towards the start of the window.
     */
    static double jitter(byte[] certificate) {
        return new SplittableRandom(Arrays.hashCode(certificate)).nextDouble();
    }

    /** The order the conf describes, for {@link Issuance}: the same names, key, account, server and responder. */
    IssueRequest request(boolean dryRun, Optional<String> deployHook) throws AcmejxException {
        X509Certificate live = parse(lineage, seen);
        return IssueRequest.builder(lineage, DomainNames.parse(names(live)))
                .server(server(conf)).caCert(caCert(conf)).email(conf.param(ConfKeys.EMAIL))
                .keySpec(RenewalParams.keySpec(conf)).forceRenewal(true)
                .deployHook(deployHook.or(() -> conf.param(ConfKeys.DEPLOY_HOOK)))
                .responder(ResponderSettings.read(conf)).dryRun(dryRun).replaces(Optional.of(live))
                .profile(conf.param(ConfKeys.PROFILE)).account(conf.param(ConfKeys.ACCOUNT)).build();
    }

    /** The conf's names in the user's order, or, as certbot has none there, the certificate's. */
    private List<String> names(X509Certificate live) throws AcmejxException {
        Optional<String> listed = conf.param(ConfKeys.DOMAINS);
        if (listed.isPresent()) {
            return Arrays.asList(listed.get().split(",\\s*"));
        }
        try {
            return LiveCertificate.names(live);
        } catch (CertificateException e) {
            throw unreadable(lineage, e);
        }
    }

    /**
     * The certificate as this plan saw it, in full: needed only when something is due or the CA is asked. The
     * order names it as the one it replaces, which also lets {@link Issuance} see, under the lock, whether
     * another run renewed the lineage after this plan was made.
     */
    private static X509Certificate parse(Lineage lineage, byte[] seen) throws AcmejxException {
        try {
            return Pem.firstCertificate(seen);
        } catch (CertificateException e) {
            throw unreadable(lineage, e);
        }
    }

    private static CertificateValidity validity(Lineage lineage, byte[] seen) throws AcmejxException {
        try {
            return CertificateValidity.read(seen);
        } catch (CertificateException e) {
            throw unreadable(lineage, e);
        }
    }

    private static byte[] liveCertificate(Lineage lineage) throws AcmejxException {
        try {
            return Files.readAllBytes(lineage.live("cert"));
        } catch (IOException e) {
            throw unreadable(lineage, e);
        }
    }

    private static AcmejxException unreadable(Lineage lineage, Exception e) {
        return new AcmejxException("cannot read the live certificate " + lineage.live("cert") + " (" + e.getMessage()
                + "); re-run `acmejx issue` for " + lineage.name(), e);
    }

    static URI server(RenewalConf conf) {
        return conf.param(ConfKeys.SERVER).map(URI::create).orElse(AcmeSessions.LETS_ENCRYPT);
    }

    static Optional<Path> caCert(RenewalConf conf) {
        return conf.param(ConfKeys.CA_CERT).map(Path::of);
    }

    /** The decision as a log line; the logger is looked up only here, see {@link Renewals.Options#quiet}. */
    void log() {
        System.getLogger("acmejx.renew").log(Level.INFO, "{0}: {1}", lineage.name(), decision.reason());
    }
}
