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
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One lineage as {@code renew} sees it: its renewal conf, the live certificate and the decision. Reading the
 * conf and one certificate is all a lineage that is not due costs, so the common twice-daily run stays fast; the
 * CA is asked only when it offers ACME Renewal Information for this lineage.
 *
 * @param seen the live certificate's PEM when the decision was made, before any lock or sleep
 */
public record RenewalPlan(Lineage lineage, RenewalConf conf, byte[] seen, RenewalDecision decision) {

    private static final String SERVER = "server";

    /** Reads and decides; no lock is taken, nothing is written. */
    static RenewalPlan of(Lineage lineage, boolean force, Instant now) throws AcmejxException {
        RenewalConf conf = read(lineage);
        byte[] seen = liveCertificate(lineage);
        CertificateValidity validity = validity(lineage, seen);
        boolean ari = conf.param(RenewalParams.ARI).filter("True"::equalsIgnoreCase).isPresent();
        Optional<RenewalDecision.Window> window = ari && !force
                ? RenewalInfoLookup.window(lineage, server(conf), caCert(conf), parse(lineage, seen))
                : Optional.empty();
        RenewalDecision decision = RenewalDecision.decide(now, validity.notBefore(), validity.notAfter(), window,
                jitter(seen), conf.top("renew_before_expiry"), force);
        return new RenewalPlan(lineage, conf, seen, decision);
    }

    /**
     * This client's point in an ARI window, in [0, 1): drawn from the certificate itself, so every run of a twice-daily
     * timer finds the same point. A fresh draw per run would pull renewals towards the start of the window.
     */
    static double jitter(byte[] certificate) {
        return new SplittableRandom(Arrays.hashCode(certificate)).nextDouble();
    }

    /** The order the conf describes, for {@link Issuance}: the same names, key, server and responder. */
    IssueRequest request(boolean dryRun, Optional<String> deployHook) throws AcmejxException {
        String names = conf.param(RenewalParams.DOMAINS).orElseThrow(() -> broken("names no domains"));
        KeySpec key = KeySpec.of(conf.param("key_type").orElse(KeySpec.ECDSA),
                conf.param("elliptic_curve").orElse("secp256r1"),
                Integer.parseInt(conf.param("rsa_key_size").orElse("2048")));
        Map<String, String> responder = new TreeMap<>();
        conf.param("control_socket").ifPresent(path -> responder.put("control_socket", path));
        conf.param("tls_alpn_listen").ifPresent(listen -> responder.put("tls_alpn_listen", listen));
        return new IssueRequest(lineage, DomainNames.parse(Arrays.asList(names.split(",\\s*"))), server(conf),
                caCert(conf), conf.param("email"), key, true,
                deployHook.or(() -> conf.param(RenewalParams.DEPLOY_HOOK)), responder, dryRun,
                Optional.of(parse(lineage, seen)), Optional.empty());
    }

    private AcmejxException broken(String what) {
        return new AcmejxException(lineage.renewalConf() + " " + what + "; re-run `acmejx issue` for "
                + lineage.name() + " to rewrite it");
    }

    private static RenewalConf read(Lineage lineage) throws AcmejxException {
        try {
            return RenewalConf.read(lineage.renewalConf());
        } catch (IOException e) {
            throw new AcmejxException("cannot read " + lineage.renewalConf() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The certificate as this plan saw it, in full: needed only when something is due or the CA is asked. The
     * order names it as the one it replaces, which also lets {@link Issuance} see, under the lock, whether
     * another run renewed the lineage after this plan was made.
     */
    private static X509Certificate parse(Lineage lineage, byte[] seen) throws AcmejxException {
        try {
            return Pem.readCertificates(seen).get(0);
        } catch (CertificateException | IndexOutOfBoundsException e) {
            throw unreadable(lineage, e);
        }
    }

    private static CertificateValidity validity(Lineage lineage, byte[] seen) throws AcmejxException {
        try {
            return CertificateValidity.read(seen);
        } catch (CertificateException | IndexOutOfBoundsException e) {
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

    private static URI server(RenewalConf conf) {
        return conf.param(SERVER).map(URI::create).orElse(AcmeSessions.LETS_ENCRYPT);
    }

    private static Optional<Path> caCert(RenewalConf conf) {
        return conf.param("ca_cert").map(Path::of);
    }

    /** The decision as a log line; the logger is looked up only here, see {@link Renewals.Options#quiet}. */
    void log() {
        System.getLogger("acmejx.renew").log(Level.INFO, "{0}: {1}", lineage.name(), decision.reason());
    }
}
