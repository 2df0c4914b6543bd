package dev.acmejx.core;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.shredzone.acme4j.Login;

/**
 * {@code acmejx issue} from start to end: lock the config dir, decide whether anything is due, get the
 * certificate, store it, record how to renew it, run the deploy hook. The previous certificate stays live until
 * a complete new one is in the archive.
 */
public final class Issuance {

    private static final Logger LOG = System.getLogger("acmejx.acme");
    private static final Duration CA_TIMEOUT = Duration.ofMinutes(3);

    /** What happened: {@code issued} is false when the live certificate was not due and nothing was ordered. */
    public record Result(LiveCertificate certificate, boolean issued) {
    }

    private final CertificateStore store = new CertificateStore();

    public Result run(IssueRequest request, ChallengeResponder.Opener responders, TermsOfService terms)
            throws AcmejxException, InterruptedException {
        try (ConfigDirLock lock = ConfigDirLock.acquire(request.configDir())) {
            Lineage lineage = Lineage.of(request.configDir(), request.certName());
            Optional<LiveCertificate> live = store.live(lineage);
            if (live.isPresent() && !mustOrder(request, live.get())) {
                return new Result(live.get(), false);
            }
            CompletableFuture<KeyPair> key = CompletableFuture.supplyAsync(request.keySpec()::generate);
            List<X509Certificate> chain;
            try (ChallengeResponder responder = responders.open()) {
                Login login = new AccountLogin(new AccountStore(request.configDir()))
                        .login(AcmeSessions.open(request.server(), request.caCert()), request.email(), terms);
                chain = new CertificateOrder(login, request.server(), CA_TIMEOUT)
                        .issue(request.identifiers(), key, request.keySpec(), responder);
            }
            LiveCertificate stored = store.save(lineage, key.join().getPrivate(), chain);
            LOG.log(Level.INFO, "stored as version {0}; {1} now points at it", stored.version(),
                    lineage.liveDir());
            RenewalConf.of(lineage, Version.VALUE, renewalParams(request)).write(lineage.renewalConf());
            if (request.deployHook().isPresent()) {
                DeployHook.run(request.deployHook().get(), lineage, DomainNames.values(request.identifiers()));
            }
            return new Result(stored, true);
        } catch (IOException e) {
            throw new AcmejxException("cannot update the certificate store in " + request.configDir() + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean mustOrder(IssueRequest request, LiveCertificate live) {
        if (request.forceRenewal()) {
            LOG.log(Level.INFO, "--force-renewal: ordering a new certificate for {0}", live.lineage().name());
            return true;
        }
        List<String> wanted = DomainNames.values(request.identifiers());
        if (!new HashSet<>(live.names()).equals(new HashSet<>(wanted))) {
            LOG.log(Level.INFO, "names changed from {0} to {1}: ordering a new certificate", live.names(), wanted);
            return true;
        }
        Instant now = Instant.now();
        if (RenewalPolicy.isDue(live, now)) {
            LOG.log(Level.INFO, "{0} expires in {1} days: due for renewal", live.lineage().name(),
                    RenewalPolicy.daysUntil(now, live.notAfter()));
            return true;
        }
        return false;
    }

    private static Map<String, String> renewalParams(IssueRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("authenticator", "acmejx");
        params.put("server", request.server().toString());
        params.put("domains", String.join(", ", DomainNames.values(request.identifiers())));
        params.put("key_type", request.keySpec().type());
        if (request.keySpec().type().equals(KeySpec.ECDSA)) {
            params.put("elliptic_curve", request.keySpec().curve());
        } else {
            params.put("rsa_key_size", String.valueOf(request.keySpec().rsaBits()));
        }
        params.put("pref_challs", "tls-alpn-01");
        request.caCert().ifPresent(ca -> params.put("ca_cert", ca.toAbsolutePath().toString()));
        request.email().ifPresent(email -> params.put("email", email));
        request.deployHook().ifPresent(hook -> params.put("renew_hook", hook));
        params.putAll(request.responderParams());
        return params;
    }
}
