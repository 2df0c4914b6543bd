package dev.acmejx.core;

import java.io.IOException;
import java.lang.System.Logger;
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
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One lineage as {@code renew} sees it: its renewal conf, the live certificate and the decision. Reading the
 * conf and one certificate is all a lineage that is not due costs, so the common twice-daily run stays fast; the
 * CA is asked only when it offers ACME Renewal Information for this lineage.
 */
public record RenewalPlan(Lineage lineage, RenewalConf conf, X509Certificate current, RenewalDecision decision) {

    private static final Logger LOG = System.getLogger("acmejx.renew");
    private static final String SERVER = "server";

    /** Reads and decides; no lock is taken, nothing is written. */
    static RenewalPlan of(Lineage lineage, boolean force, Instant now) throws AcmejxException {
        RenewalConf conf = read(lineage);
        X509Certificate current = current(lineage);
        boolean ari = conf.param(RenewalParams.ARI).filter("True"::equalsIgnoreCase).isPresent();
        Optional<RenewalDecision.Window> window = ari && !force
                ? RenewalInfoLookup.window(lineage, server(conf), caCert(conf), current)
                : Optional.empty();
        RenewalDecision decision = RenewalDecision.decide(now, current.getNotBefore().toInstant(),
                current.getNotAfter().toInstant(), window, ThreadLocalRandom.current().nextDouble(),
                conf.top("renew_before_expiry"), force);
        return new RenewalPlan(lineage, conf, current, decision);
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
                deployHook.or(() -> conf.param(RenewalParams.DEPLOY_HOOK)), responder, dryRun, Optional.of(current),
                Optional.empty());
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

    private static X509Certificate current(Lineage lineage) throws AcmejxException {
        Path cert = lineage.live("cert");
        try {
            return Pem.readCertificates(Files.readAllBytes(cert)).get(0);
        } catch (IOException | CertificateException | IndexOutOfBoundsException e) {
            throw new AcmejxException("cannot read the live certificate " + cert + " (" + e.getMessage()
                    + "); re-run `acmejx issue` for " + lineage.name(), e);
        }
    }

    private static URI server(RenewalConf conf) {
        return conf.param(SERVER).map(URI::create).orElse(AcmeSessions.LETS_ENCRYPT);
    }

    private static Optional<Path> caCert(RenewalConf conf) {
        return conf.param("ca_cert").map(Path::of);
    }

    void log() {
        LOG.log(Level.INFO, "{0}: {1}", lineage.name(), decision.reason());
    }
}
