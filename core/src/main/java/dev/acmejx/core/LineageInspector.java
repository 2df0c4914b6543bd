package dev.acmejx.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks at lineages without changing anything: no lock, no completion of an interrupted link move (which
 * {@link CertificateStore#live} would do). Whatever is broken in one lineage becomes a problem in its
 * {@link LineageStatus}, never an exception, so one bad lineage cannot hide the others.
 */
public final class LineageInspector {

    private static final Pattern CERT_VERSION = Pattern.compile("cert(\\d+)\\.pem");

    private final Path configDir;
    private final Instant now;

    public LineageInspector(Path configDir, Instant now) {
        this.configDir = configDir.toAbsolutePath().normalize();
        this.now = now;
    }

    /** Every lineage under {@code live/}, by name. */
    public List<LineageStatus> all() throws AcmejxException {
        List<String> names;
        try {
            names = Lineage.live(configDir);
        } catch (IOException e) {
            throw new AcmejxException("cannot list " + configDir.resolve("live") + ": " + e.getMessage()
                    + " (check --config-dir, and run as a user who may read it)", e);
        }
        List<LineageStatus> statuses = new ArrayList<>();
        for (String name : names) {
            statuses.add(inspect(new Lineage(configDir, name)));
        }
        return statuses;
    }

    public LineageStatus inspect(Lineage lineage) {
        List<String> problems = new ArrayList<>();
        Optional<X509Certificate> leaf = readLeaf(lineage, problems);
        Optional<LineageStatus.Facts> facts = Optional.empty();
        if (leaf.isPresent()) {
            LiveCertificate live = new LiveCertificate(lineage, linkedVersion(lineage), leaf.get());
            try {
                facts = Optional.of(new LineageStatus.Facts(live.version(),
                        orderedDomains(live.names(), confDomains(lineage)), live.keyType(), live.serialHex(),
                        live.notAfter(), RenewalDecision.daysLeft(now, live.notAfter())));
            } catch (IllegalStateException e) {
                problems.add("cert.pem has an unreadable subjectAltName (" + e.getCause().getMessage() + ")");
            }
            checkDates(live, problems);
            checkFullchain(lineage, leaf.get(), problems);
            checkKey(lineage, leaf.get(), problems);
        }
        return new LineageStatus(lineage.name(), lineage.live("fullchain"), lineage.live("privkey"), facts,
                problems);
    }

    /**
     * The certificate's names in the order the user gave them (the renewal conf's), which the CA may have sorted;
     * names only the certificate has follow in its own order.
     */
    static List<String> orderedDomains(List<String> certificateNames, List<String> confNames) {
        Set<String> ordered = new LinkedHashSet<>();
        confNames.stream().filter(certificateNames::contains).forEach(ordered::add);
        ordered.addAll(certificateNames);
        return List.copyOf(ordered);
    }

    /** The N of the {@code certN.pem} that {@code cert.pem} links to; 0 when it is no such link. */
    private static int linkedVersion(Lineage lineage) {
        try {
            Matcher m = CERT_VERSION.matcher(String.valueOf(Files.readSymbolicLink(lineage.live("cert"))
                    .getFileName()));
            return m.matches() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    private static List<String> confDomains(Lineage lineage) {
        try {
            return RenewalConf.read(lineage.renewalConf()).param(ConfKeys.DOMAINS)
                    .map(domains -> List.of(domains.split(",\\s*")))
                    .orElse(List.of());
        } catch (IOException e) {
            // Only the order of the names depends on it; the certificate's own order is still right.
            return List.of();
        }
    }

    private static Optional<X509Certificate> readLeaf(Lineage lineage, List<String> problems) {
        Path cert = lineage.live("cert");
        if (!Files.isSymbolicLink(cert) && Files.exists(cert)) {
            problems.add("cert.pem is not a link into archive/" + lineage.name() + "/");
        }
        try {
            return Optional.of(readChain(cert).get(0));
        } catch (IOException e) {
            problems.add(unreadable(cert, e));
            return Optional.empty();
        }
    }

    private void checkDates(LiveCertificate live, List<String> problems) {
        if (now.isAfter(live.notAfter())) {
            problems.add("expired on " + live.notAfter());
        } else if (now.isBefore(live.notBefore())) {
            problems.add("not valid before " + live.notBefore());
        }
    }

    private static void checkFullchain(Lineage lineage, X509Certificate leaf, List<String> problems) {
        Path fullchain = lineage.live("fullchain");
        try {
            List<X509Certificate> chain = readChain(fullchain);
            if (!chain.get(0).equals(leaf)) {
                problems.add("fullchain.pem does not start with the certificate of cert.pem");
            } else if (chain.size() > 1 && !signedBy(leaf, chain.get(1))) {
                problems.add("the second certificate of fullchain.pem did not sign cert.pem");
            }
        } catch (IOException e) {
            problems.add(unreadable(fullchain, e));
        }
    }

    private static void checkKey(Lineage lineage, X509Certificate leaf, List<String> problems) {
        Path privkey = lineage.live("privkey");
        try {
            PrivateKey key = PrivateKeyFile.read(privkey);
            if (!PrivateKeyFile.matches(key, leaf.getPublicKey())) {
                problems.add("privkey.pem is not the key of cert.pem");
            }
        } catch (IOException | RuntimeException e) {
            problems.add(unreadable(privkey, e));
        }
    }

    private static boolean signedBy(X509Certificate leaf, X509Certificate issuer) {
        try {
            leaf.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** @throws IOException also when the file holds no certificate */
    private static List<X509Certificate> readChain(Path file) throws IOException {
        try {
            List<X509Certificate> chain = Pem.readCertificates(Files.readAllBytes(file));
            if (chain.isEmpty()) {
                throw new IOException("holds no certificate");
            }
            return chain;
        } catch (CertificateException e) {
            throw new IOException("holds no readable certificate (" + e.getMessage() + ")", e);
        }
    }

    private static String unreadable(Path file, Exception e) {
        String name = String.valueOf(file.getFileName());
        if (e instanceof NoSuchFileException) {
            return Files.isSymbolicLink(file) ? name + " links to a file that is gone" : name + " is missing";
        }
        if (e instanceof AccessDeniedException) {
            return name + " is not readable by this user (run as the owner of the config dir, or root)";
        }
        return name + " " + e.getMessage();
    }
}
